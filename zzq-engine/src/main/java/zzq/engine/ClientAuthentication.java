package zzq.engine;

/**
 * The client's side of MQTT 5.0 enhanced authentication (section 4.12): an Authentication Method and its
 * challenge and response, such as SCRAM or Kerberos. Given to {@link ClientOptions.Builder#authentication}.
 *
 * <p>Its methods run on the client's callback threads, never on the network thread, so they may block (to ask a
 * key store, say); the handshake waits for them within the connect timeout.
 */
public interface ClientAuthentication {
    /** The Authentication Method, such as {@code SCRAM-SHA-256}. */
    String method();

    /** The Authentication Data of the CONNECT (or of a re-authentication's first AUTH), or {@code null}. */
    byte[] initialData();

    /**
     * The broker continues the exchange (AUTH 0x18) with {@code data} (possibly {@code null}): returns the data of
     * the client's answer. Throwing ends the attempt: the connect fails with the exception as its cause.
     */
    byte[] challenge(byte[] data);

    /**
     * The broker accepted (CONNACK or AUTH 0x00), with its final {@code data}, possibly {@code null}. Called before
     * the connect or re-authentication it concludes completes.
     */
    default void succeeded(byte[] data) {
    }
}
