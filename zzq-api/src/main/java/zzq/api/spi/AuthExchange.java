package zzq.api.spi;

import zzq.codec.property.BinaryData;

/** One enhanced-authentication conversation with one client; its calls arrive one at a time. */
@FunctionalInterface
public interface AuthExchange {
    /**
     * The client's next Authentication Data (from CONNECT first, then from each AUTH with reason 0x18), or
     * {@code null} when the packet had none; returns what to answer.
     */
    AuthStep step(BinaryData data);
}
