/**
 * The MQTT wire codec: every control packet of MQTT 3.1 (level 3), 3.1.1 (level 4) and 5.0 (level 5) as an
 * immutable value, a streaming decoder that frames packets out of arbitrary reads, and an encoder.
 *
 * <p>No I/O and no session state: the codec turns bytes into {@link zzq.codec.packet.MqttPacket} values and back,
 * validating everything the specifications require of a single packet. Anything that needs memory of earlier
 * packets (topic aliases, packet identifier bookkeeping, a second CONNECT) belongs to the engine.
 */
module zzq.codec {
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;

    exports zzq.codec;
    exports zzq.codec.packet;
    exports zzq.codec.property;
}
