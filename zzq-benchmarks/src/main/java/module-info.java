/**
 * JMH benchmarks: the MQTT codec ({@code zzq.codec}), encode and decode of PUBLISH and CONNECT; and the client
 * and broker end to end over loopback TCP.
 *
 * <p>Run from the shaded {@code benchmarks.jar}, which leaves this descriptor out and runs on the class path;
 * the descriptor is here so the benchmarks compile against the codec's exported API only, as a user would.
 */
module zzq.benchmarks {
    requires zzq.codec;
    requires zzq.engine;
    // jmh-core 1.37 has no Automatic-Module-Name: the name is derived from its file name, jmh-core-1.37.jar.
    requires jmh.core;

    // JMH's generated harness subclasses the @State classes and instantiates them and the benchmarks
    // reflectively; its runner loads the generated classes by name.
    exports zzq.benchmarks;
    exports zzq.benchmarks.jmh_generated;
    opens zzq.benchmarks;
    opens zzq.benchmarks.jmh_generated;
}
