package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.MalformedPacketException;
import zzq.codec.PacketType;
import zzq.codec.ReasonCode;

/** The rule every reason code obeys: it must be one the packet may carry (MQTT 5.0 section 2.4). */
final class ReasonCodes {
    private ReasonCodes() {
    }

    static void check(ReasonCode code, PacketType packet) {
        Objects.requireNonNull(code, "reasonCode");
        if (!code.isAllowedIn(packet)) {
            throw MalformedPacketException.malformed("2.4", code + " is not a reason code of " + packet);
        }
    }
}
