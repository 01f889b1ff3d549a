package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;

import io.netty.buffer.ByteBuf;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.packet.Auth;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Disconnect;
import zzq.codec.packet.MqttPacket;
import zzq.codec.packet.Pingreq;
import zzq.codec.packet.Pingresp;
import zzq.codec.packet.Publish;
import zzq.codec.packet.PublishAck;
import zzq.codec.packet.Suback;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Unsuback;
import zzq.codec.packet.Unsubscribe;

/** One whole packet on the wire: the fixed header's type and flags, and the body each packet type lays out. */
public final class PacketWire {
    private PacketWire() {
    }

    /**
     * Decodes one packet from its first fixed-header byte and its body (exactly the remaining length).
     *
     * @param version the connection's version, or {@code null} before its CONNECT, which names its own
     * @throws zzq.codec.MalformedPacketException for anything the specification refuses
     */
    public static MqttPacket read(int firstByte, ByteBuf body, MqttVersion version) {
        PacketType type = FixedHeader.check(firstByte, version);
        int flags = firstByte & 0x0F;
        MqttPacket packet = switch (type) {
            case CONNECT -> ConnectWire.read(body);
            case CONNACK -> ConnackWire.read(body, version);
            case PUBLISH -> PublishWire.read(flags, body, version);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> PublishAckWire.read(type, body, version);
            case SUBSCRIBE -> SubscribeWire.readSubscribe(body, version);
            case SUBACK -> SubackWire.readSuback(body, version);
            case UNSUBSCRIBE -> SubscribeWire.readUnsubscribe(body, version);
            case UNSUBACK -> SubackWire.readUnsuback(body, version);
            case PINGREQ -> Pingreq.INSTANCE;
            case PINGRESP -> Pingresp.INSTANCE;
            case DISCONNECT -> version.isV5() ? ReasonWire.readDisconnect(body) : Disconnect.NORMAL;
            case AUTH -> ReasonWire.readAuth(body);
        };
        if (body.isReadable()) {
            // Only PUBLISH runs to the end by definition, and it has consumed everything.
            throw malformed("2.1.4", type + " has " + body.readableBytes()
                    + " bytes beyond its content: the remaining length does not match");
        }
        return packet;
    }

    /** The first fixed-header byte: type and flags. */
    public static int firstByte(MqttPacket p) {
        int flags = p instanceof Publish publish ? PublishWire.flags(publish) : p.type().requiredFlags();
        return p.type().value() << 4 | flags;
    }

    /**
     * The remaining length of the packet in this version.
     *
     * @throws IllegalArgumentException if the packet cannot be said in this version
     */
    public static int remainingLength(MqttPacket p, MqttVersion v) {
        return switch (p.type()) {
            case CONNECT -> ConnectWire.remainingLength(requireVersion((Connect) p, v));
            case CONNACK -> ConnackWire.remainingLength((Connack) p, v);
            case PUBLISH -> PublishWire.headerLength((Publish) p, v) + ((Publish) p).payload().readableBytes();
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> PublishAckWire.remainingLength((PublishAck) p, v);
            case SUBSCRIBE -> SubscribeWire.remainingLength((Subscribe) p, v);
            case SUBACK -> SubackWire.remainingLength(((Suback) p).reasonCodes().size(), ((Suback) p).properties(), v);
            case UNSUBSCRIBE -> SubscribeWire.remainingLength((Unsubscribe) p, v);
            case UNSUBACK -> SubackWire.remainingLength((Unsuback) p, v);
            case PINGREQ, PINGRESP -> 0;
            case DISCONNECT -> v.isV5()
                    ? ReasonWire.remainingLength(((Disconnect) p).reasonCode(), ((Disconnect) p).properties()) : 0;
            case AUTH -> {
                if (!v.isV5()) {
                    throw new IllegalArgumentException("AUTH does not exist in MQTT " + v);
                }
                yield ReasonWire.remainingLength(((Auth) p).reasonCode(), ((Auth) p).properties());
            }
        };
    }

    private static Connect requireVersion(Connect c, MqttVersion v) {
        if (c.version() != v) {
            throw new IllegalArgumentException("an MQTT " + c.version() + " CONNECT cannot be written as " + v);
        }
        return c;
    }

    /** Writes a PUBLISH's variable header: topic, packet identifier and 5.0 properties. */
    public static void writePublishHeader(Publish p, MqttVersion v, ByteBuf out) {
        PublishWire.writeHeader(p, v, out);
    }

    /** Writes the body (everything after the fixed header) of a packet whose length was asked first. */
    public static void writeBody(MqttPacket p, MqttVersion v, ByteBuf out) {
        switch (p.type()) {
            case CONNECT -> ConnectWire.write((Connect) p, out);
            case CONNACK -> ConnackWire.write((Connack) p, v, out);
            case PUBLISH -> {
                Publish publish = (Publish) p;
                PublishWire.writeHeader(publish, v, out);
                ByteBuf payload = publish.payload();
                out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
            }
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> PublishAckWire.write((PublishAck) p, v, out);
            case SUBSCRIBE -> SubscribeWire.write((Subscribe) p, v, out);
            case SUBACK -> SubackWire.write((Suback) p, v, out);
            case UNSUBSCRIBE -> SubscribeWire.write((Unsubscribe) p, v, out);
            case UNSUBACK -> SubackWire.write((Unsuback) p, v, out);
            case PINGREQ, PINGRESP -> {
                // no body
            }
            case DISCONNECT -> {
                if (v.isV5()) {
                    ReasonWire.write(((Disconnect) p).reasonCode(), ((Disconnect) p).properties(), out);
                }
            }
            case AUTH -> ReasonWire.write(((Auth) p).reasonCode(), ((Auth) p).properties(), out);
        }
    }
}
