package example.app;

import java.time.Duration;
import java.util.ServiceLoader;
import zzq.api.Endpoint;
import zzq.api.spi.Transport;
import zzq.codec.QoS;
import zzq.engine.ApplicationMessage;
import zzq.engine.Broker;
import zzq.engine.BrokerOptions;
import zzq.engine.Client;
import zzq.engine.ClientOptions;
import zzq.engine.Subscription;

/**
 * Starts a broker on memtcp://demo, connects two clients to it, sends one message from one to the other, and prints
 * which transports were installed and {@code OK} (exit 0) or {@code FAILED} (exit 1).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        for (Transport t : ServiceLoader.load(Transport.class)) {
            Module m = t.getClass().getModule();
            System.out.println("transport " + t.schemes() + " from " + (m.isNamed() ? "module " + m.getName()
                    : "the class path"));
        }
        try (Broker broker = Broker.start(BrokerOptions.DEFAULTS)) {
            Endpoint at = broker.bind("memtcp://demo");
            try (Client sub = Client.connect(at.toString(), ClientOptions.DEFAULTS);
                 Client pub = Client.connect(at.toString(), ClientOptions.DEFAULTS)) {
                Subscription s = sub.subscribe("plugin/demo", QoS.AT_LEAST_ONCE);
                pub.publish("plugin/demo", "hello through a plugin".getBytes(), QoS.AT_LEAST_ONCE, false);
                ApplicationMessage m = s.receive(Duration.ofSeconds(10));
                if (m == null || !m.payloadAsString().equals("hello through a plugin")) {
                    System.out.println("FAILED: received " + (m == null ? "nothing" : m.payloadAsString()));
                    System.exit(1);
                }
                System.out.println("OK " + at);
            }
        }
    }
}
