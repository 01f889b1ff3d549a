package zzq.api.spi;

/**
 * Decides what a connected client may do with topics. Called on event loops, often: keep it fast and lock-free.
 */
public interface Authorizer {
    /** Allows everything. */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean canPublish(ClientIdentity client, String topic) {
            return true;
        }

        @Override
        public boolean canSubscribe(ClientIdentity client, String filter) {
            return true;
        }

        @Override
        public boolean canReceive(ClientIdentity client, String topic) {
            return true;
        }
    };

    /** Whether the client may publish to this topic name; a refused PUBLISH is dropped (0x87 in a 5.0 ack). */
    boolean canPublish(ClientIdentity client, String topic);

    /** Whether the client may subscribe to this filter; a refusal is 0x87 (5.0) or 0x80 (3.1.1) in SUBACK. */
    boolean canSubscribe(ClientIdentity client, String filter);

    /** Whether a message on this topic may be delivered to the client, checked per message. */
    boolean canReceive(ClientIdentity client, String topic);
}
