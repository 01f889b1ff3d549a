package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import zzq.api.Endpoint;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.ReconnectPolicy;
import zzq.engine.Subscription;

/** An embedded zzq broker on a free loopback port, and zzq clients of the test's own to watch it. */
final class TestBroker implements AutoCloseable {
    private final Broker broker;
    private final Endpoint endpoint;
    private final List<Client> clients = new ArrayList<>();

    private TestBroker(BrokerOptions options, String bind) {
        broker = Broker.start(options);
        endpoint = broker.bind(bind);
    }

    static TestBroker start() {
        return start(BrokerOptions.DEFAULTS);
    }

    static TestBroker start(BrokerOptions options) {
        return new TestBroker(options, "mqtt://127.0.0.1:0");
    }

    /** A broker on a port already chosen (a restart's). */
    static TestBroker startOn(int port) {
        return new TestBroker(BrokerOptions.DEFAULTS, "mqtt://127.0.0.1:" + port);
    }

    Broker broker() {
        return broker;
    }

    int port() {
        return endpoint.port();
    }

    String url() {
        return endpoint.toString();
    }

    /** {@code zzq ARGS... -h 127.0.0.1 -p PORT}: the arguments with this broker's address. */
    String[] args(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-h";
        all[args.length + 1] = "127.0.0.1";
        all[args.length + 2] = "-p";
        all[args.length + 3] = Integer.toString(port());
        return all;
    }

    /** A subscription of a client of the test's (closed with the broker), which does not reconnect. */
    Subscription subscribe(String filter, QoS qos) {
        return subscribe(filter, qos, null, null);
    }

    /** A subscription as {@link #subscribe(String, QoS)}, of a client with this user name and password. */
    Subscription subscribe(String filter, QoS qos, String username, String password) {
        Client client = Client.connect(url(), ClientOptions.builder().reconnect(ReconnectPolicy.NEVER)
                .username(username).password(password).build());
        clients.add(client);
        return client.subscribe(filter, qos);
    }

    /** Publishes from a client of the test's. */
    void publish(ApplicationMessage message) {
        Client client = Client.connect(url(), ClientOptions.DEFAULTS);
        try {
            client.publish(message);
        } finally {
            client.close();
        }
    }

    /** The next message of a subscription, which must come within the tests' wait. */
    static ApplicationMessage next(Subscription s) throws InterruptedException {
        ApplicationMessage m = s.receive(CliRun.WAIT);
        assertNotNull(m, "no message on " + s.filters() + " within " + CliRun.WAIT);
        return m;
    }

    /** The payloads of the next {@code n} messages, as text. */
    static List<String> next(Subscription s, int n) throws InterruptedException {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            payloads.add(next(s).payloadAsString());
        }
        return payloads;
    }

    @Override
    public void close() {
        clients.forEach(Client::close);
        broker.close();
    }

    /** A subscription's wait, shortened for checks that expect nothing more to come. */
    static final Duration SHORT = Duration.ofMillis(200);
}
