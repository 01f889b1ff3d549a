package zzq.api.spi;

/** A persistence store that cannot be opened or used; the message says which store and why. */
public class PersistenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with this message. */
    public PersistenceException(String message) {
        super(message);
    }

    /** An error with this message and cause. */
    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
