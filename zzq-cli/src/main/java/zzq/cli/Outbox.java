package zzq.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import zzq.engine.ApplicationMessage;
import zzq.engine.Client;
import zzq.engine.ConnectRefusedException;
import zzq.engine.MqttClientException;

/**
 * {@code zzq pub}'s messages on their way: each is handed to the client without waiting for its acknowledgement,
 * so the broker gets them back to back, and at most the client's queue bound are on their way at once. A caller
 * with more waits for room, so no input is dropped while the broker is away; {@link #awaitAll} waits for the end
 * of every one.
 *
 * <p>The window matches the client's own bound ({@link zzq.engine.ClientOptions#maxQueuedPublishes()}, with no
 * byte bound): the client frees a message's room before it completes the message's future, and the window only
 * after, so the client never refuses one for want of room.
 */
final class Outbox {
    private final Connector.Connected connected;
    private final ClientFlags.Settings settings;
    private final Console console;
    private final String command;
    private final int capacity;
    private final Semaphore room;
    private final AtomicInteger failed = new AtomicInteger();

    Outbox(Connector.Connected connected, ClientFlags.Settings settings, Console console, String command) {
        this.connected = connected;
        this.settings = settings;
        this.console = console;
        this.command = command;
        this.capacity = settings.options().maxQueuedPublishes();
        this.room = new Semaphore(capacity);
        // a fatal end frees every waiter, who then finds it
        connected.fatal().whenComplete((why, e) -> room.release(capacity));
    }

    /**
     * Hands a message to the client once there is room.
     *
     * @throws CommandException when the client has stopped for good (it will not reconnect)
     */
    void publish(ApplicationMessage message) throws CommandException, InterruptedException {
        checkFatal();
        room.acquire();
        checkFatal();
        Client client = connected.client();
        client.publishAsync(message).whenComplete((result, error) -> {
            try {
                if (error != null) {
                    failed(message, error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                }
            } finally {
                room.release();
            }
        });
    }

    /** Waits until every message handed over is acknowledged (QoS 1 and 2), written (QoS 0) or failed. */
    void awaitAll() throws CommandException, InterruptedException {
        room.acquire(capacity);
        room.release(capacity);
        checkFatal();
    }

    /** 0, or 1 when the broker refused a message (each refusal was reported as it came). */
    int exitCode() throws CommandException {
        if (failed.get() > 0) {
            throw CommandException.exit(CommandException.FAILURE, settings.quiet() ? null
                    : failed.get() + " message" + (failed.get() == 1 ? " was" : "s were") + " not published");
        }
        return 0;
    }

    private void checkFatal() throws CommandException {
        CommandException why = connected.fatal().getNow(null);
        if (why != null) {
            throw why;
        }
    }

    /**
     * A publish failed. With a cause, the connection failed for good (the client stopped reconnecting): the end.
     * Without, the broker (or its limits) refused this message: reported, and the others go on.
     */
    private void failed(ApplicationMessage message, Throwable error) {
        if (error instanceof MqttClientException e && e.getCause() instanceof RuntimeException cause) {
            connected.connector().fail(cause instanceof ConnectRefusedException
                    ? Connector.connectFailure(settings.url(), settings.version(), cause, settings.quiet())
                    : CommandException.exit(CommandException.FAILURE, settings.quiet() ? null : e.getMessage()));
            return;
        }
        failed.incrementAndGet();
        if (!settings.quiet()) {
            String why = error instanceof MqttClientException e && e.reasonCode() != null
                    ? "the broker refused it: " + Connector.describe(e.reasonCode())
                    + (e.reasonString() == null ? "" : ": " + e.reasonString())
                    : error.getMessage();
            console.err().println("zzq " + command + ": warning: the message to '" + message.topic()
                    + "' was not published: " + why);
        }
    }
}
