package zzq.codec;

import java.util.ArrayList;
import java.util.List;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Publish;
import zzq.codec.packet.PublishAck;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.property.Properties;

/** The properties and reason codes any packet carries, for tests that tally what they covered. */
final class PacketParts {
    private PacketParts() {
    }

    /** Every property list of the packet: its own, and a CONNECT's will properties. */
    static List<Properties> properties(MqttPacket p) {
        List<Properties> out = new ArrayList<>(2);
        if (p instanceof Connect c) {
            out.add(c.properties());
            if (c.will() != null) {
                out.add(c.will().properties());
            }
        } else if (p instanceof Connack c) {
            out.add(c.properties());
        } else if (p instanceof Publish c) {
            out.add(c.properties());
        } else if (p instanceof PublishAck c) {
            out.add(c.properties());
        } else if (p instanceof Subscribe c) {
            out.add(c.properties());
        } else if (p instanceof Suback c) {
            out.add(c.properties());
        } else if (p instanceof Unsubscribe c) {
            out.add(c.properties());
        } else if (p instanceof Unsuback c) {
            out.add(c.properties());
        } else if (p instanceof Disconnect c) {
            out.add(c.properties());
        } else if (p instanceof Auth c) {
            out.add(c.properties());
        }
        return out;
    }

    /** The reason codes the packet carries. */
    static List<ReasonCode> reasonCodes(MqttPacket p) {
        if (p instanceof Connack c) {
            return List.of(c.reasonCode());
        } else if (p instanceof PublishAck c) {
            return List.of(c.reasonCode());
        } else if (p instanceof Suback c) {
            return c.reasonCodes();
        } else if (p instanceof Unsuback c) {
            return c.reasonCodes();
        } else if (p instanceof Disconnect c) {
            return List.of(c.reasonCode());
        } else if (p instanceof Auth c) {
            return List.of(c.reasonCode());
        }
        return List.of();
    }
}
