package zzq.plugintests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin promise: a transport module zzq has never seen ({@code example.memtcp}, scheme {@code memtcp://},
 * compiled here against the released zzq-api) serves a Broker and a Client of an application that names only the
 * scheme ({@code example.app}) — in a JVM of its own, on the module path (service binding) and on the class path
 * (META-INF/services), with no zzq transport present and no change to the engine.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransportPluginTest {
    /** The jars zzq ships and their run-time dependencies: the engine, the API, the codec, Netty, slf4j-api. */
    private static final Pattern RELEASED = Pattern.compile(
            ".*/(zzq-(codec|api|engine)(-[^/]*\\.jar|/target/classes)|netty-[^/]*\\.jar|slf4j-api-[^/]*\\.jar)");
    /** How long a started JVM may take. */
    private static final long RUN_SECONDS = 60;

    @TempDir
    static Path work;
    private static List<Path> released;
    private static Path plugin;
    private static Path app;

    @BeforeAll
    static void compileThePluginAndTheApplication() throws IOException {
        released = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> RELEASED.matcher(p.replace(File.separatorChar, '/')).matches())
                .map(Path::of)
                .collect(Collectors.toList());
        assertTrue(released.stream().anyMatch(p -> p.toString().contains("zzq-engine")), "engine: " + released);
        assertFalse(released.stream().anyMatch(p -> p.toString().contains("zzq-transport")),
                "no zzq transport among the released jars: " + released);
        Path sources = Path.of(System.getProperty("zzq.plugin.sources", "src/test/plugin"));
        plugin = moduleJar(sources.resolve("example.memtcp"), "example.memtcp");
        app = moduleJar(sources.resolve("example.app"), "example.app");
    }

    @Test
    @DisplayName("module path: the plugin module is bound as a provider; the broker and client use memtcp://")
    void onTheModulePath() throws Exception {
        Run run = java("--module-path", path(released, plugin, app), "-m", "example.app/example.app.Main");
        assertEquals(0, run.exit, run.toString());
        assertTrue(run.out.contains("transport [memtcp] from module example.memtcp"), run.toString());
        assertTrue(run.out.contains("OK memtcp://demo"), run.toString());
        assertEquals(1, run.out.lines().filter(l -> l.startsWith("transport ")).count(),
                "the plugin is the only transport: " + run);
    }

    @Test
    @DisplayName("class path: the same jars, found through META-INF/services")
    void onTheClassPath() throws Exception {
        Run run = java("-cp", path(released, plugin, app), "example.app.Main");
        assertEquals(0, run.exit, run.toString());
        assertTrue(run.out.contains("transport [memtcp] from the class path"), run.toString());
        assertTrue(run.out.contains("OK memtcp://demo"), run.toString());
    }

    @Test
    @DisplayName("control: without the plugin jar the scheme is unknown, and the application fails")
    void withoutThePlugin() throws Exception {
        Run run = java("--module-path", path(released, app), "-m", "example.app/example.app.Main");
        assertNotEquals(0, run.exit, run.toString());
        assertFalse(run.out.contains("OK"), run.toString());
        assertTrue(run.err.contains("no transport for the scheme 'memtcp'"), run.toString());
    }

    /** Compiles the module whose sources (module-info.java at the top) are in {@code dir}, and jars it. */
    private static Path moduleJar(Path dir, String module) throws IOException {
        Path classes = work.resolve("classes").resolve(module);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-Xlint:all,-path", "-Werror",
                "--module-path", path(released), "-d", classes.toString()));
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        run(ToolProvider.findFirst("javac").orElseThrow(), args);
        Path services = dir.resolve("META-INF/services");
        if (Files.isDirectory(services)) {
            Files.createDirectories(classes.resolve("META-INF/services"));
            try (Stream<Path> files = Files.list(services)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, classes.resolve("META-INF/services").resolve(f.getFileName()));
                }
            }
        }
        Path jar = work.resolve(module + ".jar");
        run(ToolProvider.findFirst("jar").orElseThrow(), List.of("--create", "--file", jar.toString(), "-C",
                classes.toString(), "."));
        return jar;
    }

    private static void run(ToolProvider tool, List<String> args) {
        StringWriter out = new StringWriter();
        int exit = tool.run(new PrintWriter(out, true), new PrintWriter(out, true), args.toArray(String[]::new));
        assertEquals(0, exit, tool.name() + " " + args + ":\n" + out);
    }

    private static String path(List<Path> jars, Path... more) {
        List<Path> all = new ArrayList<>(jars);
        all.addAll(List.of(more));
        return all.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    /** What a started JVM did. */
    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs this JVM's {@code java} with these arguments, within {@link #RUN_SECONDS}. */
    private static Run java(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("still running after " + RUN_SECONDS + " s: " + command + "\n"
                        + Files.readString(out) + Files.readString(err));
            }
        } finally {
            p.destroyForcibly();
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
