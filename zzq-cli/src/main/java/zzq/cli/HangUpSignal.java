package zzq.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs an action on every SIGHUP: {@code zzq broker} reloads its password and ACL files, as Mosquitto does. The
 * action runs on the JVM's signal thread, one signal at a time. A SIGHUP that was ignored when the JVM started
 * ({@code nohup}) stays ignored, as whoever started the broker asked.
 */
final class HangUpSignal implements AutoCloseable {
    private static final Signal HUP = new Signal("HUP");

    private final SignalHandler previous;

    private HangUpSignal(SignalHandler previous) {
        this.previous = previous;
    }

    /**
     * Runs {@code action} on each SIGHUP from now on.
     *
     * @return the installed handler, or {@code null} where SIGHUP cannot be caught (ignored at start, or kept by
     *         the JVM under {@code -Xrs}); the reason is logged
     */
    static HangUpSignal install(Runnable action) {
        SignalHandler before;
        try {
            before = Signal.handle(HUP, s -> action.run());
        } catch (IllegalArgumentException e) {
            log().warn("SIGHUP cannot be caught in this JVM ({}): reload by restarting", e.getMessage());
            return null;
        }
        if (before == SignalHandler.SIG_IGN) {
            Signal.handle(HUP, SignalHandler.SIG_IGN);
            log().info("SIGHUP is ignored (nohup?): the password and ACL files reload only on restart");
            return null;
        }
        return new HangUpSignal(before);
    }

    /** Puts back the handler SIGHUP had before. */
    @Override
    public void close() {
        Signal.handle(HUP, previous);
    }

    private static Logger log() {
        return LoggerFactory.getLogger(HangUpSignal.class);
    }
}
