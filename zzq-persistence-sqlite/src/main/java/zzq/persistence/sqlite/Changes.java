package zzq.persistence.sqlite;

import java.sql.SQLException;
import zzq.api.spi.StoredSession;

/** The changes the broker records, one record per {@code Persistence} method, holding copies of what they write. */
final class Changes {
    private Changes() {
    }

    /** {@code retain}. */
    record Retain(MessageRow message) implements Op.Change {
        @Override
        public void apply(Statements s) throws SQLException {
            s.retain(message);
        }

        @Override
        public int bytes() {
            return message.bytes();
        }
    }

    /** {@code removeRetained}. */
    record RemoveRetained(String topic) implements Op.Change {
        @Override
        public void apply(Statements s) throws SQLException {
            s.removeRetained(topic);
        }
    }

    /** {@code saveSession}: the session (its will ignored) and a copy of its will, or null. */
    record SaveSession(StoredSession session, MessageRow will, long willPublishAtMillis) implements Op.Change {
        @Override
        public void apply(Statements s) throws SQLException {
            s.saveSession(session, will, willPublishAtMillis);
        }

        @Override
        public int bytes() {
            return 64 + 64 * session.subscriptions().size() + (will == null ? 0 : will.bytes());
        }
    }

    /** {@code removeSession}. */
    record RemoveSession(String clientId) implements Op.Change {
        @Override
        public void apply(Statements s) throws SQLException {
            s.removeSession(clientId);
        }
    }

    /** {@code addAwaitingRelease}. */
    record AddAwaitingRelease(String clientId, int packetId) implements Op.Change {
        @Override
        public void apply(Statements s) throws SQLException {
            s.addAwaitingRelease(clientId, packetId);
        }
    }

    /** {@code removeAwaitingRelease}. */
    record RemoveAwaitingRelease(String clientId, int packetId) implements Op.Change {
        @Override
        public void apply(Statements s) throws SQLException {
            s.removeAwaitingRelease(clientId, packetId);
        }
    }

    /** {@code saveDelivery}. */
    record SaveDelivery(String clientId, long sequence, int packetId, boolean released, long messageId,
                        MessageRow message) implements Op.Change {
        @Override
        public void apply(Statements s) throws SQLException {
            s.saveDelivery(clientId, sequence, packetId, released, messageId, message);
        }

        @Override
        public int bytes() {
            return 48 + message.bytes();
        }
    }

    /** {@code updateDelivery}. */
    record UpdateDelivery(String clientId, long sequence, int packetId, boolean released) implements Op.Change {
        @Override
        public void apply(Statements s) throws SQLException {
            s.updateDelivery(clientId, sequence, packetId, released);
        }
    }

    /** {@code removeDelivery}. */
    record RemoveDelivery(String clientId, long sequence) implements Op.Change {
        @Override
        public void apply(Statements s) throws SQLException {
            s.removeDelivery(clientId, sequence);
        }
    }
}
