package zzq.transport.tls;

import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import zzq.api.Endpoint;
import zzq.api.spi.TransportOptions;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.MonitorEvent;
import zzq.testkit.EventLog;
import zzq.testkit.TestCertificates;

/**
 * A broker per test over {@code mqtts://} on a free loopback port (registered with {@code @RegisterExtension},
 * closed after each test), its monitor events collected; and the test certificates' usual options.
 */
final class TlsFixture implements AfterEachCallback {
    static final Duration WAIT = Duration.ofSeconds(10);

    private final EventLog<MonitorEvent> events = new EventLog<>();
    private Broker broker;

    /** The server's options: its certificate and key. */
    static TransportOptions server(TestCertificates certs) {
        return TransportOptions.NONE.with(TlsOptions.CERT_FILE, certs.serverCert())
                .with(TlsOptions.KEY_FILE, certs.serverKey());
    }

    /** The server's options with client certificates checked against the test CA. */
    static TransportOptions mutual(TestCertificates certs, TlsOptions.ClientAuth auth) {
        return server(certs).with(TlsOptions.CA_FILE, certs.caCert()).with(TlsOptions.CLIENT_AUTH, auth);
    }

    /** A client's options: trusting the test CA. */
    static TransportOptions trusting(TestCertificates certs) {
        return TransportOptions.NONE.with(TlsOptions.CA_FILE, certs.caCert());
    }

    /** A client's options: trusting the test CA and presenting the test client certificate. */
    static TransportOptions withClientCertificate(TestCertificates certs) {
        return trusting(certs).with(TlsOptions.CERT_FILE, certs.clientCert())
                .with(TlsOptions.KEY_FILE, certs.clientKey());
    }

    /** Starts the broker and binds {@code mqtts://127.0.0.1:0} with {@code tls}. */
    Endpoint start(BrokerOptions options, TransportOptions tls) {
        broker = Broker.start(options);
        broker.onMonitorEvent(events);
        return broker.bind("mqtts://127.0.0.1:0", tls);
    }

    Endpoint start(TransportOptions tls) {
        return start(BrokerOptions.DEFAULTS, tls);
    }

    Broker broker() {
        return broker;
    }

    /** The first event of this type that matches, waiting for it up to {@link #WAIT}. */
    <T extends MonitorEvent> T await(Class<T> type, Predicate<? super T> test) throws InterruptedException {
        return events.await(type, test, WAIT);
    }

    /** How many events of this type so far. */
    long count(Class<? extends MonitorEvent> type) {
        return events.count(type);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

}
