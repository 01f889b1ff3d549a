package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;
import zzq.codec.QoS;
import zzq.codec.ReasonCode;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.ConnectRefusedException;
import zzq.engine.MqttClientException;
import zzq.engine.ReconnectPolicy;
import zzq.engine.Subscription;
import zzq.engine.auth.PasswordFile;

/**
 * SIGHUP reloads the password and ACL files of a running {@code zzq broker -c FILE}: the real command, run in this
 * JVM, and real signals raised to it (only while its handlers are installed, which the first connection proves).
 */
class AuthReloadTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static String user(String name, String password) {
        return PasswordFile.hash(name, password.getBytes(StandardCharsets.UTF_8), 1) + "\n";
    }

    private String url() {
        return "ipc://" + dir.resolve("zzq.sock");
    }

    private Client connect(String name, String password) {
        return Client.connect(url(), ClientOptions.builder().clientId(name).username(name).password(password)
                .reconnect(ReconnectPolicy.NEVER).build());
    }

    /** Waits until a condition holds, polling; fails after the wait. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "not within 20 s: " + what);
            Thread.sleep(20);
        }
    }

    private boolean canConnect(String name, String password) {
        try (Client c = connect(name, password)) {
            return c.isConnected();
        } catch (MqttClientException e) {
            return false; // refused (ConnectRefusedException), or not listening yet
        }
    }

    @Test
    void reloadReportsABadFileAndKeepsTheReadingInForce() throws Exception {
        Path passwd = Files.writeString(dir.resolve("passwd"), user("alice", "a-pw"));
        Path acl = Files.writeString(dir.resolve("acl"), "user alice\ntopic read #\n");
        AuthFiles files = AuthFiles.load(new Setting("--password-file", passwd.toString(), null),
                new Setting("--acl-file", acl.toString(), null));
        PasswordFile before = files.passwords();
        Files.writeString(passwd, "alice:plain\n");
        Files.delete(acl);
        List<String> problems = files.reload();
        assertEquals(List.of("bad password file: " + passwd + ":1: " + problems.get(0).substring(
                ("bad password file: " + passwd + ":1: ").length()), "the ACL file '" + acl + "' does not exist"),
                problems);
        assertSame(before, files.passwords());
        assertTrue(files.acl() != null);

        Files.writeString(passwd, user("bob", "b-pw"));
        Files.writeString(acl, "user bob\ntopic read #\n");
        assertEquals(List.of(), files.reload());
        assertTrue(files.passwords().contains("bob"));
    }

    @Test
    void sighupReloadsPasswordsAndAclAndKeepsTheOldOnAnError() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Path passwd = Files.writeString(dir.resolve("passwd"), user("alice", "a-pw"));
            Path acl = Files.writeString(dir.resolve("acl"), "user alice\ntopic readwrite #\n");
            Path conf = Files.writeString(dir.resolve("zzq.conf"), "listener " + url() + "\npassword_file passwd\n"
                    + "acl_file acl\n");
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CompletableFuture<Integer> broker = CompletableFuture.supplyAsync(() -> Main.run(
                    List.of("broker", "-c", conf.toString()), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
            try {
                await("the broker accepts alice", () -> !broker.isDone() && canConnect("alice", "a-pw"));
                ConnectRefusedException refused = assertThrows(ConnectRefusedException.class,
                        () -> connect("bob", "b-pw"));
                assertEquals(ReasonCode.BAD_USER_NAME_OR_PASSWORD, refused.reasonCode());

                try (Client alice = connect("alice", "a-pw")) {
                    Subscription everything = alice.subscribe("#", QoS.AT_LEAST_ONCE);

                    Files.writeString(passwd, user("alice", "a-pw") + user("bob", "b-pw"));
                    Files.writeString(acl, "user alice\ntopic readwrite #\nuser bob\ntopic write c/#\n");
                    Signal.raise(new Signal("HUP"));
                    await("bob is let in after SIGHUP", () -> canConnect("bob", "b-pw"));
                    try (Client bob = connect("bob", "b-pw")) {
                        bob.publish("c/1", "hello".getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false);
                        assertEquals("hello", TestBroker.next(everything).payloadAsString());
                        // the new ACL's other side: bob may not write outside c/#
                        MqttClientException denied = assertThrows(MqttClientException.class, () -> bob.publish("d/1",
                                new byte[1], QoS.AT_LEAST_ONCE, false));
                        assertEquals(ReasonCode.NOT_AUTHORIZED, denied.reasonCode());
                    }

                    // A broken file: the error is logged, and the previous reading stays in force.
                    Files.writeString(passwd, "bob:not-a-hash\n");
                    Files.writeString(acl, "topic sometimes x\n");
                    Signal.raise(new Signal("HUP"));
                    // Then a good ACL that takes bob's right away, which shows the broken reload came and went.
                    Files.writeString(acl, "user alice\ntopic readwrite #\n");
                    Signal.raise(new Signal("HUP"));
                    try (Client bob = connect("bob", "b-pw")) {
                        await("bob's write right is gone after the second SIGHUP", () -> {
                            try {
                                bob.publish("c/2", new byte[1], QoS.AT_LEAST_ONCE, false);
                                return false;
                            } catch (MqttClientException e) {
                                return e.reasonCode() == ReasonCode.NOT_AUTHORIZED;
                            }
                        });
                    }
                    assertTrue(canConnect("alice", "a-pw"), "the broken password file did not replace the good one");
                }
            } finally {
                Signal.raise(new Signal("TERM"));
            }
            assertEquals(0, broker.get(20, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        });
    }
}
