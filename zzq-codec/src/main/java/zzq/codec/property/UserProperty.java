package zzq.codec.property;

import zzq.codec.wire.Utf8;

/**
 * An MQTT 5.0 User Property: a name and a value, both UTF-8 strings. A packet may carry many, names may repeat,
 * and their order is part of the message (MQTT-3.3.2-18).
 */
public record UserProperty(String name, String value) {
    public UserProperty {
        Utf8.check(name, "user property name");
        Utf8.check(value, "user property value");
    }
}
