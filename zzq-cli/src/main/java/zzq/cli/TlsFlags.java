package zzq.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import zzq.api.spi.TransportOption;
import zzq.api.spi.TransportOptions;
import zzq.transport.tls.TlsOptions;

/**
 * The TLS flags of {@code zzq broker} (for its {@code mqtts://} and {@code wss://} binds) and of {@code zzq pub} /
 * {@code zzq sub}, named as Mosquitto names them, and how they become {@link TlsOptions}. The files are read when
 * the broker binds or the client connects, which report a bad one by name.
 */
final class TlsFlags {
    static final Flag CAFILE = Flag.value("cafile", "FILE", "PEM file of the certificate authorities to trust");
    static final Flag CERT = Flag.value("cert", "FILE", "PEM file of the certificate (chain) to present");
    static final Flag KEY = Flag.value("key", "FILE", "PEM file of its private key (PKCS#8 or OpenSSL's format)");
    static final Flag KEY_PASSWORD = Flag.value("key-password", "PASSWORD", "the password of an encrypted --key");
    static final Flag TLS_VERSION = Flag.value("tls-version", "VERSION", "tlsv1.3 (the default) or tlsv1.2; both as\n"
            + "tlsv1.2,tlsv1.3");

    /** {@code zzq broker}'s TLS flags, in help order. */
    static final List<Flag> BROKER = List.of(
            Flag.value(CERT.name(), "FILE", "the server certificate (PEM; chain: leaf first) of the mqtts://\n"
                    + "and wss:// binds"),
            Flag.value(KEY.name(), "FILE", "its private key (PEM: PKCS#8, or OpenSSL's RSA/EC format;\n"
                    + "encrypted ones need --key-password)"),
            KEY_PASSWORD,
            Flag.value(CAFILE.name(), "FILE", "the CAs (PEM) that sign client certificates"),
            Flag.toggle("require-certificate", "clients must present a certificate signed by a --cafile CA;\n"
                    + "its subject becomes their transport identity"),
            TLS_VERSION);

    /** {@code zzq pub}'s and {@code zzq sub}'s TLS flags: any of them means TLS (mqtts://, port 8883). */
    static final List<Flag> CLIENT = List.of(
            Flag.value(CAFILE.name(), "FILE", "the CAs (PEM) that sign the broker's certificate (default:\n"
                    + "the JVM's); connects over TLS (mqtts://, port 8883)"),
            Flag.value(CERT.name(), "FILE", "a client certificate (PEM) to present, for mutual TLS"),
            Flag.value(KEY.name(), "FILE", "its private key (PEM)"),
            KEY_PASSWORD,
            Flag.toggle("insecure", "do not check that the broker's certificate names its host;\n"
                    + "without --cafile, trust any certificate (tests only)"),
            TLS_VERSION);

    private TlsFlags() {
    }

    /** Whether a scheme runs over TLS, so that the TLS flags apply to it. */
    static boolean isTls(String scheme) {
        return scheme.equals("mqtts") || scheme.equals("wss");
    }

    /** Whether any TLS flag of {@code flags} was given. */
    static boolean anyGiven(Args args, List<Flag> flags) {
        return flags.stream().anyMatch(f -> args.has(f.name()));
    }

    /** The broker's TLS options, checked; the files are read at bind. */
    static TransportOptions broker(Args args) throws CommandException {
        if (args.has(KEY_PASSWORD.name()) && !args.has(KEY.name())) {
            throw CommandException.usage("--key-password needs --key");
        }
        ServerTls tls = new ServerTls(path(args, CERT.name()).orElse(null), path(args, KEY.name()).orElse(null),
                args.value(KEY_PASSWORD.name()).orElse(null), path(args, CAFILE.name()).orElse(null),
                args.has("require-certificate"), args.value(TLS_VERSION.name()).orElse(null));
        try {
            return tls.options(name -> "--" + name);
        } catch (IllegalArgumentException e) {
            throw CommandException.usage(e.getMessage());
        }
    }

    /** A client's TLS options, checked. */
    static TransportOptions client(Args args) throws CommandException {
        if (args.has(CERT.name()) != args.has(KEY.name())) {
            throw CommandException.usage("a client certificate needs both --cert and --key");
        }
        TransportOptions tls = common(args);
        if (args.has("insecure")) {
            // as mosquitto_pub's --insecure: the host name goes unchecked; with no CA to check against, any
            // certificate is taken
            tls = args.has(CAFILE.name()) ? tls.with(TlsOptions.VERIFY_HOSTNAME, false)
                    : tls.with(TlsOptions.INSECURE, true);
        }
        return tls;
    }

    private static TransportOptions common(Args args) throws CommandException {
        if (args.has(KEY_PASSWORD.name()) && !args.has(KEY.name())) {
            throw CommandException.usage("--key-password needs --key");
        }
        TransportOptions tls = TransportOptions.NONE;
        tls = with(tls, TlsOptions.CERT_FILE, path(args, CERT.name()));
        tls = with(tls, TlsOptions.KEY_FILE, path(args, KEY.name()));
        tls = with(tls, TlsOptions.KEY_PASSWORD, args.value(KEY_PASSWORD.name()));
        tls = with(tls, TlsOptions.CA_FILE, path(args, CAFILE.name()));
        Optional<String> version = args.value(TLS_VERSION.name());
        try {
            return version.isEmpty() ? tls : tls.with(TlsOptions.PROTOCOLS, protocols("--tls-version", version.get()));
        } catch (IllegalArgumentException e) {
            throw CommandException.usage(e.getMessage());
        }
    }

    private static <T> TransportOptions with(TransportOptions tls, TransportOption<T> option, Optional<T> value) {
        return value.isPresent() ? tls.with(option, value.get()) : tls;
    }

    /**
     * {@code --tls-version} or {@code tls_version}: Mosquitto's {@code tlsv1.3} and {@code tlsv1.2}, or both, comma
     * separated, as JSSE names them.
     *
     * @throws IllegalArgumentException naming the setting ({@code name}) and the value at fault
     */
    static String protocols(String name, String text) {
        StringBuilder out = new StringBuilder();
        for (String part : text.split(",", -1)) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (!p.equals("tlsv1.2") && !p.equals("tlsv1.3")) {
                throw new IllegalArgumentException(name + " must be tlsv1.3 or tlsv1.2 (or tlsv1.2,tlsv1.3), not '"
                        + text + "'");
            }
            out.append(out.length() == 0 ? "" : ",").append(p.equals("tlsv1.2") ? "TLSv1.2" : "TLSv1.3");
        }
        return out.toString();
    }

    private static Optional<Path> path(Args args, String flag) throws CommandException {
        Optional<String> value = args.value(flag);
        try {
            return value.map(Path::of);
        } catch (InvalidPathException e) {
            throw CommandException.usage("--" + flag + ": '" + value.get() + "' is not a file name: " + e.getReason());
        }
    }
}
