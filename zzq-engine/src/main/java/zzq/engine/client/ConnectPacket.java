package zzq.engine.client;

import zzq.codec.property.BinaryData;
import zzq.codec.property.Properties;
import zzq.codec.property.PropertyId;
import zzq.codec.property.UserProperty;
import zzq.codec.packet.Connect;
import zzq.codec.packet.Will;
import zzq.engine.ApplicationMessage;
import zzq.engine.ClientOptions;

/** Builds the CONNECT a client sends from its options. */
final class ConnectPacket {
    private ConnectPacket() {
    }

    /**
     * @param options    the client's options
     * @param clientId   the identifier to send (the broker's assigned one after the first connect)
     * @param cleanStart whether to start a new session
     * @param authData   the enhanced authentication's initial data, or {@code null}
     */
    static Connect build(ClientOptions options, String clientId, boolean cleanStart, byte[] authData) {
        Properties.Builder props = Properties.builder();
        if (options.version().isV5()) {
            if (options.sessionExpirySeconds() > 0) {
                props.add(PropertyId.SESSION_EXPIRY_INTERVAL, options.sessionExpirySeconds());
            }
            if (options.receiveMaximum() != 65_535) {
                props.add(PropertyId.RECEIVE_MAXIMUM, options.receiveMaximum());
            }
            if (options.maximumPacketSize() > 0) {
                props.add(PropertyId.MAXIMUM_PACKET_SIZE, options.maximumPacketSize());
            }
            if (options.topicAliasMaximum() > 0) {
                props.add(PropertyId.TOPIC_ALIAS_MAXIMUM, options.topicAliasMaximum());
            }
            if (options.requestResponseInformation()) {
                props.add(PropertyId.REQUEST_RESPONSE_INFORMATION, 1);
            }
            if (!options.requestProblemInformation()) {
                props.add(PropertyId.REQUEST_PROBLEM_INFORMATION, 0);
            }
            for (UserProperty u : options.userProperties()) {
                props.add(u);
            }
            if (options.authentication() != null) {
                props.add(PropertyId.AUTHENTICATION_METHOD, options.authentication().method());
                if (authData != null) {
                    props.add(PropertyId.AUTHENTICATION_DATA, BinaryData.of(authData));
                }
            }
        }
        byte[] password = options.password();
        return new Connect(options.version(), clientId, cleanStart, options.keepAlive(), options.username(),
                password == null ? null : BinaryData.of(password), will(options), props.build());
    }

    private static Will will(ClientOptions options) {
        ApplicationMessage will = options.will();
        if (will == null) {
            return null;
        }
        Properties props = will.properties();
        if (options.willDelaySeconds() > 0) {
            props = props.toBuilder().add(PropertyId.WILL_DELAY_INTERVAL, options.willDelaySeconds()).build();
        }
        return new Will(will.topic(), BinaryData.of(will.payloadAsBytes()), will.qos(), will.retain(), props);
    }
}
