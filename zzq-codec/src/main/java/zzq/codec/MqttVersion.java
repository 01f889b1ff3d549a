package zzq.codec;

/**
 * The MQTT protocol versions the codec speaks, as named on the wire by CONNECT's protocol name and level.
 *
 * <p>A connection's version is read from its CONNECT and fixed for the life of the connection.
 */
public enum MqttVersion {
    /** MQTT 3.1: protocol name {@code MQIsdp}, level 3. Still spoken by older Mosquitto and Paho setups. */
    V3_1("MQIsdp", 3),
    /** MQTT 3.1.1: protocol name {@code MQTT}, level 4. */
    V3_1_1("MQTT", 4),
    /** MQTT 5.0: protocol name {@code MQTT}, level 5. */
    V5("MQTT", 5);

    private final String protocolName;
    private final int level;

    MqttVersion(String protocolName, int level) {
        this.protocolName = protocolName;
        this.level = level;
    }

    /** The protocol name written in CONNECT. */
    public String protocolName() {
        return protocolName;
    }

    /** The protocol level byte written in CONNECT. */
    public int level() {
        return level;
    }

    /** Whether this version carries properties and reason codes (MQTT 5.0 only). */
    public boolean isV5() {
        return this == V5;
    }

    /**
     * The version a CONNECT names, or {@code null} when the name and level pair is not one the codec speaks.
     */
    public static MqttVersion of(String protocolName, int level) {
        for (MqttVersion v : values()) {
            if (v.level == level && v.protocolName.equals(protocolName)) {
                return v;
            }
        }
        return null;
    }
}
