package zzq.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zzq.api.spi.TransportOptions;
import zzq.testkit.TestCertificates;
import zzq.transport.tls.TlsOptions;
import zzq.transport.ws.WsOptions;

/**
 * Eclipse Paho (3.1.1 and 5.0) over {@code ws://} and {@code wss://} against the zzq broker: Paho's own WebSocket
 * handshake and framing, every QoS, a message that the broker must split into several frames, and TLS.
 */
class PahoWebSocketTest extends BrokerFixture {
    /** The broker's frame limit here: small, so that a message of {@link #FRAGMENTED} bytes goes out in 3 frames. */
    private static final int MAX_FRAME = 16 * 1024;
    private static final int FRAGMENTED = 40 * 1024;

    private String wsUri;

    @BeforeEach
    void bindWebSocket() {
        wsUri = broker.bind("ws://127.0.0.1:0/mqtt", TransportOptions.NONE.with(WsOptions.MAX_FRAME_SIZE, MAX_FRAME))
                .toString();
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    @DisplayName("Paho 3.1.1 publishes over ws://, Paho 5.0 receives over ws://, byte-exact")
    void v3ToV5(int qos) throws Exception {
        String topic = "ws/paho/" + qos;
        try (PahoV5 sub = PahoV5.connect(wsUri, "ws-sub5", PahoV5.options());
             PahoV3 pub = PahoV3.connect(wsUri, "ws-pub3", PahoV3.options(true))) {
            assertEquals(qos, sub.subscribe(topic, qos));
            pub.publish(topic, Payloads.allBytes(), qos, false);
            PahoV5.Received r = sub.next();
            assertEquals(topic, r.topic());
            assertEquals(qos, r.message().getQos());
            assertArrayEquals(Payloads.allBytes(), r.message().getPayload());
        }
    }

    @Test
    @DisplayName("Paho 3.1.1 over ws:// receives a message the broker must send in several binary frames")
    void fragmentedToPaho() throws Exception {
        byte[] big = new byte[FRAGMENTED];
        new Random(11).nextBytes(big);
        try (PahoV3 sub = PahoV3.connect(wsUri, "ws-sub3", PahoV3.options(true));
             PahoV3 pub = PahoV3.connect(tcpUri(), "tcp-pub3", PahoV3.options(true))) {
            sub.subscribe("ws/big", 1);
            pub.publish("ws/big", big, 1, false);
            PahoV3.Received r = sub.next();
            assertArrayEquals(big, r.message().getPayload());
        }
    }

    @Test
    @DisplayName("Paho 3.1.1 over wss:// (trusting the test CA, host name checked) to Paho 5.0 over ws://")
    void overTls() throws Exception {
        TestCertificates certs = TestCertificates.shared();
        String wssUri = broker.bind("wss://127.0.0.1:0/mqtt", TransportOptions.NONE
                .with(TlsOptions.CERT_FILE, certs.serverCert()).with(TlsOptions.KEY_FILE, certs.serverKey()))
                .toString().replace("127.0.0.1", TestCertificates.SERVER_HOST);
        MqttConnectOptions tls = PahoV3.options(true);
        tls.setSocketFactory(trusting(certs.caCert()).getSocketFactory());
        tls.setHttpsHostnameVerificationEnabled(true);
        try (PahoV5 sub = PahoV5.connect(wsUri, "ws-sub5", PahoV5.options());
             PahoV3 pub = PahoV3.connect(wssUri, "wss-pub3", tls)) {
            sub.subscribe("wss/paho", 2);
            pub.publish("wss/paho", "secret".getBytes(), 2, false);
            assertArrayEquals("secret".getBytes(), sub.next().message().getPayload());
        }
    }

    /** An SSL context that trusts the CA in this PEM file only. */
    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
