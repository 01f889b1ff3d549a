package zzq.codec.wire;

import static zzq.codec.MalformedPacketException.malformed;
import static zzq.codec.MalformedPacketException.protocolError;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.QoS;
import zzq.codec.packet.RetainHandling;
import zzq.codec.packet.Subscribe;
import zzq.codec.packet.Subscription;
import zzq.codec.packet.SubscriptionOptions;
import zzq.codec.packet.Unsubscribe;
import zzq.codec.property.Properties;

/** SUBSCRIBE and UNSUBSCRIBE on the wire: a packet identifier, 5.0 properties, then topic filters to the end. */
final class SubscribeWire {
    private SubscribeWire() {
    }

    static Subscribe readSubscribe(ByteBuf in, MqttVersion v) {
        int packetId = Wire.readUnsignedShort(in, "packet identifier");
        Properties properties = v.isV5() ? PropertiesWire.read(in, PacketType.SUBSCRIBE) : Properties.EMPTY;
        List<Subscription> subscriptions = new ArrayList<>();
        while (in.isReadable()) {
            String filter = Utf8.read(in, "topic filter");
            int options = Wire.readUnsignedByte(in, "subscription options");
            subscriptions.add(new Subscription(filter, options(options, v)));
        }
        return new Subscribe(packetId, subscriptions, properties);
    }

    private static SubscriptionOptions options(int b, MqttVersion v) {
        if (!v.isV5() && (b & 0xFC) != 0) {
            throw malformed("MQTT-3.8.3-4", "subscription options bits 7-2 are reserved in MQTT " + v);
        }
        if ((b & 0xC0) != 0) {
            throw malformed("MQTT-3.8.3-5", "subscription options bits 7-6 are reserved and must be 0");
        }
        if ((b & 3) == 3) {
            // 3.1.1 makes it malformed (MQTT-3.8.3-4); 5.0 a Protocol Error (section 3.8.3.1).
            throw v.isV5() ? protocolError("3.8.3.1", "a subscription's maximum QoS must not be 3")
                    : malformed("MQTT-3.8.3-4", "a subscription's maximum QoS must not be 3");
        }
        RetainHandling retainHandling = RetainHandling.of((b >> 4) & 3);
        if (retainHandling == null) {
            throw protocolError("3.8.3.1", "Retain Handling must not be 3");
        }
        return new SubscriptionOptions(QoS.of(b & 3), (b & 0x04) != 0, (b & 0x08) != 0, retainHandling);
    }

    static Unsubscribe readUnsubscribe(ByteBuf in, MqttVersion v) {
        int packetId = Wire.readUnsignedShort(in, "packet identifier");
        Properties properties = v.isV5() ? PropertiesWire.read(in, PacketType.UNSUBSCRIBE) : Properties.EMPTY;
        List<String> filters = new ArrayList<>();
        while (in.isReadable()) {
            filters.add(Utf8.read(in, "topic filter"));
        }
        return new Unsubscribe(packetId, filters, properties);
    }

    static int remainingLength(Subscribe s, MqttVersion v) {
        int n = 2 + (v.isV5() ? PropertiesWire.lengthWithPrefix(s.properties()) : 0);
        for (Subscription sub : s.subscriptions()) {
            if (!v.isV5() && !sub.options().isQosOnly()) {
                throw new IllegalArgumentException("MQTT " + v + " subscription options carry the QoS only: " + sub);
            }
            n += 2 + Utf8.encodedLength(sub.filter()) + 1;
        }
        return n;
    }

    static void write(Subscribe s, MqttVersion v, ByteBuf out) {
        out.writeShort(s.packetId());
        if (v.isV5()) {
            PropertiesWire.write(out, s.properties());
        }
        for (Subscription sub : s.subscriptions()) {
            Utf8.write(out, sub.filter());
            out.writeByte(sub.options().toByte());
        }
    }

    static int remainingLength(Unsubscribe u, MqttVersion v) {
        int n = 2 + (v.isV5() ? PropertiesWire.lengthWithPrefix(u.properties()) : 0);
        for (String filter : u.filters()) {
            n += 2 + Utf8.encodedLength(filter);
        }
        return n;
    }

    static void write(Unsubscribe u, MqttVersion v, ByteBuf out) {
        out.writeShort(u.packetId());
        if (v.isV5()) {
            PropertiesWire.write(out, u.properties());
        }
        for (String filter : u.filters()) {
            Utf8.write(out, filter);
        }
    }
}
