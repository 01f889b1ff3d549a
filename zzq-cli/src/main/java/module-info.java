/**
 * The {@code zzq} command line: {@code zzq broker} runs a broker in the foreground; {@code zzq pub} and
 * {@code zzq sub} publish and subscribe with the flags of Mosquitto's tools; {@code zzq passwd} writes password
 * files as {@code mosquitto_passwd} does; {@code zzq version} says what runs.
 *
 * <p>Nothing is exported: this module is an application, not a library. Its run-time companions are found by
 * {@link java.util.ServiceLoader} and so are not required here: the transports ({@code zzq.transport.tcp} for
 * {@code mqtt://}) and the logging backend ({@code org.slf4j.simple}); the {@code ./zzq} launcher puts them on the
 * module path.
 */
module zzq.cli {
    requires zzq.engine;
    // the TLS flags name its options (the mqtts:// transport itself is found by ServiceLoader, like the others)
    requires zzq.transport.tls;
    requires org.slf4j;
    // sun.misc.Signal: the only way to end on SIGINT/SIGTERM with exit code 0 rather than the JVM's 130/143.
    requires jdk.unsupported;
}
