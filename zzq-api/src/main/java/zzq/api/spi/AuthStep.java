package zzq.api.spi;

import java.util.Objects;
import zzq.codec.ReasonCode;
import zzq.codec.property.BinaryData;

/** What an {@link AuthExchange} answers to one step of the client's. */
public sealed interface AuthStep {
    /** Send an AUTH with reason 0x18 (continue) carrying this challenge. */
    record Continue(BinaryData challenge) implements AuthStep {
        public Continue {
            Objects.requireNonNull(challenge, "challenge");
        }
    }

    /** Authenticated: the CONNACK (or re-authentication AUTH 0x00) carries this data, or none if {@code null}. */
    record Success(BinaryData data) implements AuthStep {
    }

    /** Refused with this reason (such as 0x87 Not authorized or 0x8C Bad authentication method). */
    record Failure(ReasonCode reasonCode) implements AuthStep {
        public Failure {
            Objects.requireNonNull(reasonCode, "reasonCode");
        }
    }
}
