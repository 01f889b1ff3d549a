package zzq.engine;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import zzq.api.Endpoint;

/**
 * A broker per test, registered with {@code @RegisterExtension}: {@link #start} binds it on a free loopback port
 * with a {@link MonitorLog} attached, and it is closed after each test.
 */
public final class BrokerFixture implements AfterEachCallback {
    private final MonitorLog log = new MonitorLog();
    private Broker broker;

    /** Starts the broker with these options and binds it; returns the bound endpoint. */
    public Endpoint start(BrokerOptions options) {
        broker = Broker.start(options);
        broker.onMonitorEvent(log);
        return broker.bind("mqtt://127.0.0.1:0");
    }

    public Broker broker() {
        return broker;
    }

    public MonitorLog log() {
        return log;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
