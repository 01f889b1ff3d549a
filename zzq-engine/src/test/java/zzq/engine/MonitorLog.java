package zzq.engine;

import zzq.testkit.EventLog;

/** Collects a broker's or client's monitor events and waits for one that matches. */
public final class MonitorLog extends EventLog<MonitorEvent> {
    /** The first event of this type, waiting for it up to {@link Clients#WAIT}. */
    public <T extends MonitorEvent> T await(Class<T> type) throws InterruptedException {
        return await(type, e -> true, Clients.WAIT);
    }
}
