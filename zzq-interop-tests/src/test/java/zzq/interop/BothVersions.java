package zzq.interop;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zzq.codec.MqttVersion;

/** A test run once in MQTT 3.1.1 and once in 5.0: the method takes the {@link MqttVersion}. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest
@EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
@interface BothVersions {
}
