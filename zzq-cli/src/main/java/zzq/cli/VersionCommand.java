package zzq.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import zzq.engine.Broker;

/**
 * {@code zzq version}: zzq's version (the Maven project version, written into {@code version.properties} by the
 * build), then what it runs on: Java, the operating system, and whether native I/O (Linux epoll) is available.
 */
final class VersionCommand implements Command {
    /** The resource, beside this class, that holds the version. */
    static final String RESOURCE = "version.properties";

    /** The flags, in help order. */
    static final List<Flag> FLAGS = List.of(Flag.HELP);

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "print zzq's version, and the Java, OS and native I/O it runs on";
    }

    @Override
    public String usage() {
        return "Usage: zzq version\n\n"
                + "Prints 'zzq VERSION' on the first line, then the Java runtime, the operating system, and whether\n"
                + "brokers and clients run on Linux epoll (native I/O) or Java NIO, and why.\n\n"
                + "Flags:\n" + Flag.table(FLAGS)
                + "\nExit status: 0; 1 when the version is missing from the build; 2 for bad flags.\n";
    }

    @Override
    public int run(List<String> args, Console console) throws CommandException {
        Args parsed = Args.parse(FLAGS, args);
        if (Command.printedHelp(parsed, console, usage())) {
            return 0;
        }
        console.out().print(report(version()));
        return 0;
    }

    /** The lines printed: the version first. */
    static String report(String version) {
        return "zzq " + version + "\n"
                + "java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")\n"
                + "os: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")\n"
                + "native I/O: " + Broker.whyNoNativeIo().map(why -> "no, Java NIO: " + why).orElse("epoll") + "\n";
    }

    /**
     * zzq's version, as the build wrote it.
     *
     * @throws CommandException a failure when the resource is missing or was not filled in (a broken build)
     */
    static String version() throws CommandException {
        Properties properties = new Properties();
        try (InputStream in = VersionCommand.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw CommandException.failure("the build left out " + RESOURCE + ": zzq's version is unknown");
            }
            properties.load(in);
        } catch (IOException e) {
            throw CommandException.failure("cannot read " + RESOURCE + ": " + e.getMessage());
        }
        String version = properties.getProperty("version", "");
        if (version.isBlank() || version.contains("${")) {
            throw CommandException.failure(RESOURCE + " was not filled in by the build: zzq's version is unknown");
        }
        return version.strip();
    }
}
