package zzq.engine.broker;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import zzq.engine.BrokerStatistics;

/**
 * Publishes {@code $SYS/broker/...} as Mosquitto does: retained, at QoS 0, each figure only when it changed, every
 * interval. The topics and their text form are Mosquitto's, so dashboards written for it work.
 */
final class SysTopics {
    static final String VERSION = "zzq 0.1.0";

    private final BrokerRouting broker;
    private final Map<String, String> lastPublished = new HashMap<>();
    private ScheduledFuture<?> task;

    SysTopics(BrokerRouting broker) {
        this.broker = broker;
    }

    void start(EventLoopGroup group, Duration interval) {
        if (interval.isZero()) {
            return;
        }
        long ms = Math.max(1, interval.toMillis());
        // on one loop, so the map of last values needs no lock
        task = group.next().scheduleAtFixedRate(this::publish, 0, ms, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    /** The topics and values for a snapshot, in Mosquitto's names. */
    static Map<String, String> figures(BrokerStatistics s) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("$SYS/broker/version", VERSION);
        f.put("$SYS/broker/uptime", s.uptimeSeconds() + " seconds");
        f.put("$SYS/broker/clients/connected", Long.toString(s.clientsConnected()));
        f.put("$SYS/broker/clients/disconnected", Long.toString(s.clientsTotal() - s.clientsConnected()));
        f.put("$SYS/broker/clients/total", Long.toString(s.clientsTotal()));
        f.put("$SYS/broker/clients/maximum", Long.toString(s.clientsMaximum()));
        f.put("$SYS/broker/messages/received", Long.toString(s.messagesReceived()));
        f.put("$SYS/broker/messages/sent", Long.toString(s.messagesSent()));
        f.put("$SYS/broker/messages/stored", Long.toString(s.storedMessages()));
        f.put("$SYS/broker/publish/messages/received", Long.toString(s.publishReceived()));
        f.put("$SYS/broker/publish/messages/sent", Long.toString(s.publishSent()));
        f.put("$SYS/broker/publish/messages/dropped", Long.toString(s.publishDropped()));
        f.put("$SYS/broker/publish/publishers/paused", Long.toString(s.publishersPaused()));
        f.put("$SYS/broker/bytes/received", Long.toString(s.bytesReceived()));
        f.put("$SYS/broker/bytes/sent", Long.toString(s.bytesSent()));
        f.put("$SYS/broker/subscriptions/count", Long.toString(s.subscriptions()));
        f.put("$SYS/broker/retained messages/count", Long.toString(s.retainedMessages()));
        return f;
    }

    private void publish() {
        for (Map.Entry<String, String> e : figures(broker.statistics()).entrySet()) {
            if (!e.getValue().equals(lastPublished.put(e.getKey(), e.getValue()))) {
                broker.publishOwn(e.getKey(), e.getValue());
            }
        }
    }
}
