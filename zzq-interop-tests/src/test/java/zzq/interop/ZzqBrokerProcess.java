package zzq.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code zzq broker} command run as a process of its own, as an operator runs it: the zzq-cli jar and its
 * runtime module path from {@code zzq-cli/target} (the reactor builds them before these tests), on the JVM that runs
 * the tests. So a test can kill it with SIGKILL mid-stream and start it again on the same port and data.
 */
final class ZzqBrokerProcess extends BrokerProcess {
    private static final Path TARGET = Path.of("..", "zzq-cli", "target").toAbsolutePath().normalize();
    private static final Pattern RUNNING = Pattern.compile("zzq broker listening on mqtt://127\\.0\\.0\\.1:\\d+$");

    private List<String> args = List.of();

    /**
     * Starts {@code zzq broker --bind mqtt://127.0.0.1:PORT ARGS...} on a free port; {@code {dir}} in an argument
     * stands for the broker's directory (for {@code --persistence sqlite:{dir}/zzq.db}).
     */
    ZzqBrokerProcess start(String... brokerArgs) {
        args = List.of(brokerArgs);
        launchOnFreePort();
        return this;
    }

    @Override
    String name() {
        return "zzq broker";
    }

    @Override
    List<String> command(Path dir, int port) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "--module-path", TARGET.resolve("zzq-cli.jar") + ":" + TARGET.resolve("lib"),
                "--add-modules", "ALL-MODULE-PATH", "-m", "zzq.cli/zzq.cli.Main", "broker",
                "--bind", "mqtt://127.0.0.1:" + port));
        for (String a : args) {
            command.add(a.replace("{dir}", dir.toString()));
        }
        return command;
    }

    @Override
    Pattern running() {
        return RUNNING;
    }

    @Override
    void checkInstalled() {
        if (!Files.isRegularFile(TARGET.resolve("zzq-cli.jar")) || !Files.isDirectory(TARGET.resolve("lib"))) {
            fail(TARGET + " has no zzq-cli.jar and lib/: build zzq-cli first (mvn package; the reactor does)");
        }
    }
}
