package zzq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import zzq.codec.MqttVersion;
import zzq.codec.QoS;
import zzq.codec.packet.RetainHandling;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;
import zzq.engine.ApplicationMessage;
import zzq.engine.ClientOptions;
import zzq.engine.SubscribeRequest;

/** The flags of {@code zzq pub} and {@code zzq sub} → their settings and client options; every usage error. */
class ClientFlagsTest {
    private static PubCommand.Settings pub(String... args) throws CommandException {
        return PubCommand.settings(Args.parse(PubCommand.FLAGS, List.of(args)));
    }

    private static SubCommand.Settings sub(String... args) throws CommandException {
        return SubCommand.settings(Args.parse(SubCommand.FLAGS, List.of(args)));
    }

    private static ClientOptions options(String... args) throws CommandException {
        return sub(concat(args, "-t", "t")).client().options();
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void defaults() throws CommandException {
        ClientFlags.Settings s = sub("-t", "t").client();
        assertEquals("mqtt://localhost:1883", s.url());
        ClientOptions o = s.options();
        assertEquals(MqttVersion.V5, o.version());
        assertEquals("", o.clientId());
        assertTrue(o.cleanStart());
        assertEquals(0, o.sessionExpirySeconds());
        assertEquals(60, o.keepAlive());
        assertEquals(SubCommand.RECEIVE_MAXIMUM, o.receiveMaximum());
        assertTrue(o.reconnect().enabled());
        assertNull(o.will());
        assertFalse(s.debug());
        assertFalse(s.quiet());
    }

    @Test
    void brokerAddress() throws CommandException {
        assertEquals("mqtt://10.0.0.1:1884", sub("-t", "t", "-h", "10.0.0.1", "-p", "1884").client().url());
        assertEquals("mqtt://[::1]:1883", sub("-t", "t", "--host", "::1").client().url());
        SubCommand.Settings url = sub("-L", "mqtt://bob:p%40ss:w@broker.example:2883/a/+/#", "-t", "b");
        assertEquals("mqtt://broker.example:2883", url.client().url());
        assertEquals("bob", url.client().options().username());
        assertEquals("p%40ss:w", new String(url.client().options().password(), StandardCharsets.UTF_8));
        assertEquals(List.of("a/+/#", "b"), url.request().filters().stream().map(SubscribeRequest.Filter::filter)
                .toList());
        assertEquals("x/y", pub("-L", "mqtt://h/x/y", "-n").template().topic());
        // WebSockets: the path is the WebSocket path, the topic comes from -t
        SubCommand.Settings ws = sub("-L", "ws://u:pw@h:8080/mqtt/ws", "-t", "a/b");
        assertEquals("ws://h:8080/mqtt/ws", ws.client().url());
        assertEquals("u", ws.client().options().username());
        assertEquals(List.of("a/b"), ws.request().filters().stream().map(SubscribeRequest.Filter::filter)
                .toList());
        assertEquals("wss://h", pub("-L", "wss://h", "-t", "x", "-n").client().url());
        // Unix domain sockets: all of the URL names the socket
        assertEquals("ipc:///run/zzq/mqtt.sock", pub("-L", "ipc:///run/zzq/mqtt.sock", "-t", "x", "-n").client()
                .url());
        assertEquals("ipc://@zzq", sub("-L", "ipc://@zzq", "-t", "a").client().url());
    }

    @Test
    void versions() throws CommandException {
        for (String v : List.of("5", "mqttv5", "MQTTv5")) {
            assertEquals(MqttVersion.V5, options("-V", v).version(), v);
        }
        for (String v : List.of("311", "mqttv311")) {
            assertEquals(MqttVersion.V3_1_1, options("-V", v).version(), v);
        }
        for (String v : List.of("31", "mqttv31")) {
            assertEquals(MqttVersion.V3_1, options("--protocol-version", v).version(), v);
        }
    }

    /** -c and -x as mosquitto_sub: -c keeps the session for ever unless -x says otherwise; 3.1.1 has no expiry. */
    @Test
    void sessions() throws CommandException {
        ClientOptions c = options("-c", "-i", "me");
        assertFalse(c.cleanStart());
        assertEquals(ClientFlags.NEVER_EXPIRES, c.sessionExpirySeconds());
        assertEquals(60, options("-c", "-i", "me", "-x", "60").sessionExpirySeconds());
        assertEquals(ClientFlags.NEVER_EXPIRES, options("-x", "-1", "-i", "me").sessionExpirySeconds());
        assertEquals(ClientFlags.NEVER_EXPIRES, options("-x", "∞", "-i", "me").sessionExpirySeconds());
        assertEquals(ClientFlags.NEVER_EXPIRES, options("-x", "4294967295", "-i", "me").sessionExpirySeconds());
        assertTrue(options("-x", "30").cleanStart()); // expiry without -c: a clean start, kept for reconnects
        assertEquals(30, options("-D", "connect", "session-expiry-interval", "30").sessionExpirySeconds());
        ClientOptions v3 = options("-c", "-i", "me", "-V", "311", "-x", "60");
        assertFalse(v3.cleanStart());
        assertEquals(0, v3.sessionExpirySeconds());
        assertEquals("pre" + ProcessHandle.current().pid(), options("-I", "pre", "-c").clientId());
        assertTrue(options("-V", "31").clientId().matches("zzq-[a-z0-9]{18}"));
    }

    @Test
    void credentialsKeepAliveAndWill() throws CommandException {
        ClientOptions o = options("-u", "alice", "-P", "secret", "-k", "0", "--will-topic", "w/t",
                "--will-payload", "bye", "--will-qos", "2", "--will-retain",
                "-D", "will", "will-delay-interval", "5", "-D", "will", "content-type", "text/plain");
        assertEquals("alice", o.username());
        assertEquals("secret", new String(o.password(), StandardCharsets.UTF_8));
        assertEquals(0, o.keepAlive());
        ApplicationMessage will = o.will();
        assertEquals("w/t", will.topic());
        assertEquals("bye", will.payloadAsString());
        assertEquals(QoS.EXACTLY_ONCE, will.qos());
        assertTrue(will.retain());
        assertEquals("text/plain", will.properties().string(PropertyId.CONTENT_TYPE).orElseThrow());
        assertFalse(will.properties().contains(PropertyId.WILL_DELAY_INTERVAL));
        assertEquals(5, o.willDelaySeconds());
    }

    @Test
    void connectProperties() throws CommandException {
        ClientOptions o = options("-D", "connect", "receive-maximum", "10", "-D", "connect", "user-property",
                "a", "b", "-D", "connect", "topic-alias-maximum", "0", "-D", "connect", "maximum-packet-size", "1000",
                "-D", "connect", "request-response-information", "1", "-D", "connect",
                "request-problem-information", "0", "-D", "connect", "authentication-method", "PLAIN",
                "-D", "connect", "authentication-data", "x");
        assertEquals(10, o.receiveMaximum());
        assertEquals(List.of(new UserProperty("a", "b")), o.userProperties());
        assertEquals(0, o.topicAliasMaximum());
        assertEquals(1000, o.maximumPacketSize());
        assertTrue(o.requestResponseInformation());
        assertFalse(o.requestProblemInformation());
        assertEquals("PLAIN", o.authentication().method());
        assertEquals("x", new String(o.authentication().initialData(), StandardCharsets.UTF_8));
    }

    @Test
    void pubMessage() throws CommandException {
        PubCommand.Settings s = pub("-t", "a/b", "-m", "x", "-q", "2", "-r", "--repeat", "3", "--repeat-delay", "0.5");
        assertEquals("message", s.source());
        assertEquals("a/b", s.template().topic());
        assertEquals(QoS.EXACTLY_ONCE, s.template().qos());
        assertTrue(s.template().retain());
        assertEquals(3, s.repeat());
        assertEquals(500, s.repeatDelay().toMillis());
        assertEquals(Long.MAX_VALUE, s.client().options().maxQueuedBytes());
        assertEquals("stdin-line", pub("-t", "a", "-l").source());
        // a message may look like a flag, as long as it is none of zzq pub's
        assertEquals("message", pub("-t", "a", "-m", "-v").source());
    }

    @Test
    void subRequest() throws CommandException {
        SubCommand.Settings s = sub("-t", "a/#", "-t", "b", "-q", "1", "-R", "--retain-as-published",
                "-D", "subscribe", "subscription-identifier", "7", "-D", "subscribe", "user-property", "k", "v",
                "-T", "a/x", "-U", "c", "-v", "-N", "-C", "5", "-W", "9");
        SubscribeRequest r = s.request();
        assertEquals(2, r.filters().size());
        assertEquals(QoS.AT_LEAST_ONCE, r.filters().get(0).options().qos());
        assertEquals(RetainHandling.DO_NOT_SEND, r.filters().get(0).options().retainHandling());
        assertTrue(r.filters().get(1).options().retainAsPublished());
        assertEquals(7, r.identifier());
        assertEquals(List.of(new UserProperty("k", "v")), r.userProperties());
        assertEquals(List.of("a/x"), s.filterOut());
        assertEquals(List.of("c"), s.unsubscribe());
        assertTrue(s.verbose());
        assertFalse(s.newline());
        assertEquals(5, s.count());
        assertEquals(9, s.timeout().toSeconds());
        assertFalse(s.exitAfterSubscribe());
        // -R in 3.1.1 cannot ask the broker: the retained messages are skipped as they come
        assertEquals(RetainHandling.SEND_ON_SUBSCRIBE,
                sub("-t", "a", "-R", "-V", "311").request().filters().get(0).options().retainHandling());
        // -U alone: unsubscribe and exit
        SubCommand.Settings unsubscribe = sub("-U", "a", "-c", "-i", "me");
        assertNull(unsubscribe.request());
        assertTrue(unsubscribe.exitAfterSubscribe());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            pub -t a                             | give the message: -m TEXT, -f FILE, -l, -s or -n
            pub -t a -m x -n                     | give one message source, not -m and -n
            pub -m x                             | give the topic: -t TOPIC, or -L URL ending in /TOPIC
            pub -t a/# -m x                      | -t: topic name 'a/#' must not contain the wildcard '#' (MQTT-3.3.2-2)
            pub -L mqtt://h/a -t b -m x          | -L gives the topic: give it or -t, not both
            pub -t a -l --repeat 2               | --repeat and --repeat-delay go with -m, -f, -s or -n, not -l
            pub -t a -m x --repeat 0             | --repeat must be at least 1, not 0
            pub -t a -m x --repeat-delay soon    | --repeat-delay must be 0 to 86400 seconds, not 'soon'
            pub -t a -m x -q 3                   | -q must be 0, 1 or 2, not 3
            pub -t a -m x -D publish topic-alias 1 | -t or -D publish: the client assigns topic aliases itself; do not set one
            pub -t a -m x -D subscribe user-property k v | -D subscribe user-property k v: properties can be given for connect, will, publish; this command sends no SUBSCRIBE with properties of yours
            sub -t a                   -D publish content-type x | -D publish content-type x: properties can be given for connect, will, subscribe; this command sends no PUBLISH with properties of yours
            sub -t a -D connect nope 1          | -D connect nope 1: no MQTT 5 property is called 'nope'
            sub -t a -D bogus x 1               | -D bogus x 1: properties can be given for connect, will, subscribe, not 'bogus'
            sub -t a -D connect content-type x  | -D connect content-type x: content-type is not a property of connect
            sub -t a -D connect user-property k | -D connect user-property k: user-property takes a name and a value
            sub -t a -D connect receive-maximum | -D connect receive-maximum: give the property's name and value: -D, --property COMMAND NAME VALUE
            sub -t a -D connect receive-maximum 0 | -D connect receive-maximum 0: RECEIVE_MAXIMUM must not be 0 (2.2.2.2)
            sub -t a -D connect receive-maximum ten | -D connect receive-maximum ten: needs a whole number, not 'ten'
            sub -t a -D connect user-property k v -V 311 | -D sets MQTT 5 properties: it needs -V 5, not MQTT V3_1_1
            sub -t a -V 6                       | -V must be 5, 311 or 31 (or mqttv5, mqttv311, mqttv31), not '6'
            sub -t a -c                         | -c needs a client identifier: give -i or -I
            sub -t a -c -V 311                  | -c needs a client identifier: give -i or -I
            sub -t a -x -1                      | a session that never expires needs a client identifier: give -i or -I
            sub -t a -x soon                    | -x needs a whole number of seconds (or -1 for never), not 'soon'
            sub -t a -i x -I y                  | give -i or -I, not both
            sub -t a -k 70000                   | -k must be 0 to 65535 seconds, not 70000
            sub -t a -p 0                       | -p must be 1 to 65535, not 0
            sub -t a -L mqtt://h/b -h h         | -L names the broker: give it or -h, not both
            sub -t a -L mqtt://u@h -u v         | -L gives the user name: give it or -u, not both
            sub -t a -L h:1883/a                | -L must look like mqtt://[USER[:PASSWORD]@]HOST[:PORT]/TOPIC, not 'h:1883/a'
            sub -t a --will-qos 1               | --will-qos needs --will-topic
            sub -t a -P secret -V 311           | MQTT V3_1_1 allows a password only with a user name
            sub                                 | give a topic filter to subscribe to: -t FILTER (or -L URL ending in /FILTER)
            sub -t a/#/b                        | invalid topic filter: '#' must be last in topic filter 'a/#/b' and occupy a whole level (MQTT-4.7.1-1)
            sub -t a -T a/#/b                   | invalid topic filter: '#' must be last in topic filter 'a/#/b' and occupy a whole level (MQTT-4.7.1-1)
            sub -t a -R --retained-only         | -R skips retained messages and --retained-only prints only them: not both
            sub -t a --retain-as-published -V 31 | --retain-as-published needs MQTT 5 (-V 5)
            sub -t a -C -1                      | -C must be 1 or more, not -1
            sub -t a -W 0                       | -W must be 1 to 31536000 seconds, not 0
            sub -t a -h                         | -h needs a value: -h, --host HOST
            sub -t a extra                      | unexpected argument 'extra': every setting is a flag (quote a value that holds spaces)
            """)
    void usageErrors(String command, String message) {
        List<String> args = List.of(command.trim().split("\\s+"));
        CommandException e = assertThrows(CommandException.class, () -> {
            if (args.get(0).equals("pub")) {
                pub(args.subList(1, args.size()).toArray(new String[0]));
            } else {
                sub(args.subList(1, args.size()).toArray(new String[0]));
            }
        });
        assertEquals(CommandException.USAGE, e.exitCode(), e.getMessage());
        assertEquals(message.trim(), e.getMessage());
    }
}
