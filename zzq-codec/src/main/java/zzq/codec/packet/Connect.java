package zzq.codec.packet;

import java.util.Objects;
import zzq.codec.MalformedPacketException;
import zzq.codec.MqttVersion;
import zzq.codec.PacketType;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.wire.Utf8;

/**
 * CONNECT: the first packet a client sends, which also fixes the connection's protocol version.
 *
 * @param version    the protocol version (3.1, 3.1.1 or 5.0)
 * @param clientId   the client identifier; may be empty, which asks the server to assign one
 * @param cleanStart Clean Start in 5.0, Clean Session in 3.1.1
 * @param keepAlive  the keep alive in seconds, 0 to 65 535 (0 turns keep alive off)
 * @param username   the user name, or {@code null}
 * @param password   the password, or {@code null}
 * @param will       the will message, or {@code null}
 * @param properties the CONNECT properties (5.0 only; empty otherwise)
 */
public record Connect(MqttVersion version, String clientId, boolean cleanStart, int keepAlive, String username,
                      BinaryData password, Will will, Properties properties) implements MqttPacket {
    public Connect {
        Objects.requireNonNull(version, "version");
        Utf8.check(clientId, "client identifier");
        if (keepAlive < 0 || keepAlive > 0xFFFF) {
            throw new IllegalArgumentException("keep alive must be 0 to 65535 seconds, not " + keepAlive);
        }
        if (username != null) {
            Utf8.check(username, "user name");
        }
        Objects.requireNonNull(properties, "properties");
        properties.checkAllowedIn(PacketType.CONNECT);
        if (!version.isV5()) {
            requireNoV5(version, properties.isEmpty() && (will == null || will.properties().isEmpty()));
            if (password != null && username == null) {
                throw MalformedPacketException.malformed("MQTT-3.1.2-22",
                        "MQTT " + version + " allows a password only with a user name");
            }
        }
    }

    static void requireNoV5(MqttVersion version, boolean ok) {
        if (!ok) {
            throw new IllegalArgumentException("MQTT " + version + " has no properties");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }
}
