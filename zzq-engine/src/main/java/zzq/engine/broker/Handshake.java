package zzq.engine.broker;

import java.net.SocketAddress;
import java.util.UUID;
import zzq.api.spi.ConnectRequest;
import zzq.codec.MqttVersion;
import zzq.codec.ReasonCode;
import zzq.codec.packet.Connack;
import zzq.codec.packet.Connect;
import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.engine.BrokerOptions;

/**
 * What a CONNECT asks and what the broker grants: the client identifier (assigned if empty), keep alive, session
 * expiry, the client's limits, and the CONNACK that tells a 5.0 client the broker's limits. Immutable.
 */
final class Handshake {
    /** MQTT 3.1 allows client identifiers of 1 to 23 characters only. */
    private static final int V3_1_MAX_CLIENT_ID = 23;

    private final BrokerOptions options;
    private final Connect connect;
    private final String clientId;
    private final boolean assignedClientId;
    private final ReasonCode refusal;
    private final String refusalDetail;
    private final int keepAlive;
    private final boolean keepAliveChanged;
    private final long requestedSessionExpiry;
    private final long sessionExpiry;
    private final ConnectRequest request;

    Handshake(BrokerOptions options, Connect c, String transportIdentity, SocketAddress remote) {
        this.options = options;
        this.connect = c;
        MqttVersion v = c.version();
        String id = c.clientId();
        boolean assigned = false;
        ReasonCode refused = null;
        String why = null;
        if (id.isEmpty()) {
            if (v == MqttVersion.V3_1 || v == MqttVersion.V3_1_1 && !c.cleanStart()) {
                // MQTT-3.1.3-8: 3.1.1 assigns only for a clean session; 3.1 never
                refused = ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
                why = "an empty client identifier needs clean session";
            } else {
                id = "zzq-" + UUID.randomUUID();
                assigned = true;
            }
        } else if (v == MqttVersion.V3_1 && id.length() > V3_1_MAX_CLIENT_ID) {
            refused = ReasonCode.CLIENT_IDENTIFIER_NOT_VALID;
            why = "MQTT 3.1 client identifiers have at most 23 characters";
        }
        int ka = c.keepAlive();
        int max = options.maxKeepAlive();
        boolean changed = false;
        if (ka > max || ka == 0 && max < 65_535) {
            if (v == MqttVersion.V5) {
                ka = max; // Server Keep Alive (3.2.2.3.14)
                changed = true;
            } else if (refused == null) {
                // 3.1.1 cannot be told another keep alive: refuse, as Mosquitto does
                refused = ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
                why = "keep alive " + c.keepAlive() + " is outside 1.." + max + " seconds";
            }
        }
        long requested = v == MqttVersion.V5
                ? c.properties().integerOr(PropertyId.SESSION_EXPIRY_INTERVAL, 0)
                : c.cleanStart() ? 0 : Session.NEVER_EXPIRES;
        this.clientId = id;
        this.assignedClientId = assigned;
        this.refusal = refused;
        this.refusalDetail = why;
        this.keepAlive = ka;
        this.keepAliveChanged = changed;
        this.requestedSessionExpiry = requested;
        this.sessionExpiry = Math.min(requested, options.maxSessionExpirySeconds());
        this.request = new ConnectRequest(v, id, c.username(), c.password(), transportIdentity, remote,
                c.properties());
    }

    Connect connect() {
        return connect;
    }

    String clientId() {
        return clientId;
    }

    /** The reason to refuse before authentication (a bad identifier or keep alive), or {@code null}. */
    ReasonCode refusal() {
        return refusal;
    }

    String refusalDetail() {
        return refusalDetail;
    }

    ConnectRequest request() {
        return request;
    }

    int keepAlive() {
        return keepAlive;
    }

    long requestedSessionExpiry() {
        return requestedSessionExpiry;
    }

    long sessionExpiry() {
        return sessionExpiry;
    }

    /** The Will Delay Interval, in seconds (0 without a will or in 3.1.1). */
    long willDelay() {
        return connect.will() == null ? 0
                : connect.will().properties().integerOr(PropertyId.WILL_DELAY_INTERVAL, 0);
    }

    int clientReceiveMaximum() {
        return (int) connect.properties().integerOr(PropertyId.RECEIVE_MAXIMUM, 65_535);
    }

    long clientMaximumPacketSize() {
        return connect.properties().integerOr(PropertyId.MAXIMUM_PACKET_SIZE, Integer.MAX_VALUE);
    }

    int clientTopicAliasMaximum() {
        return (int) connect.properties().integerOr(PropertyId.TOPIC_ALIAS_MAXIMUM, 0);
    }

    boolean requestProblemInformation() {
        return connect.properties().integerOr(PropertyId.REQUEST_PROBLEM_INFORMATION, 1) == 1;
    }

    String authenticationMethod() {
        return connect.properties().string(PropertyId.AUTHENTICATION_METHOD).orElse(null);
    }

    BinaryData authenticationData() {
        return connect.properties().binary(PropertyId.AUTHENTICATION_DATA).orElse(null);
    }

    /**
     * The CONNACK: Session Present only on success (MQTT-3.2.2-6); for 5.0, the broker's limits and what it changed
     * of the client's requests.
     *
     * @param auth the enhanced-authentication properties to include, or {@code null}
     */
    Connack connack(boolean sessionPresent, ReasonCode reason, Properties auth) {
        if (connect.version() != MqttVersion.V5) {
            return new Connack(sessionPresent && reason == ReasonCode.SUCCESS, reason, Properties.EMPTY);
        }
        Properties.Builder b = auth == null ? Properties.builder() : auth.toBuilder();
        if (reason == ReasonCode.SUCCESS) {
            if (assignedClientId) {
                b.add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, clientId);
            }
            if (keepAliveChanged) {
                b.add(PropertyId.SERVER_KEEP_ALIVE, keepAlive);
            }
            if (sessionExpiry != requestedSessionExpiry) {
                b.add(PropertyId.SESSION_EXPIRY_INTERVAL, sessionExpiry);
            }
            if (options.maxInflightMessages() != 65_535) {
                b.add(PropertyId.RECEIVE_MAXIMUM, options.maxInflightMessages());
            }
            b.add(PropertyId.MAXIMUM_PACKET_SIZE, options.maxPacketSize());
            if (options.maxTopicAlias() > 0) {
                b.add(PropertyId.TOPIC_ALIAS_MAXIMUM, options.maxTopicAlias());
            }
            if (connect.properties().integerOr(PropertyId.REQUEST_RESPONSE_INFORMATION, 0) == 1) {
                b.add(PropertyId.RESPONSE_INFORMATION, "zzq/response/" + clientId);
            }
        } else if (refusalDetail != null && requestProblemInformation()) {
            b.add(PropertyId.REASON_STRING, refusalDetail);
        }
        return new Connack(sessionPresent && reason == ReasonCode.SUCCESS, reason, b.build());
    }
}
