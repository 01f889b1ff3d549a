package zzq.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import zzq.api.spi.AuthExchange;
import zzq.api.spi.AuthStep;
import zzq.api.spi.ConnectRequest;
import zzq.api.spi.EnhancedAuthenticator;
import zzq.codec.ReasonCode;
import zzq.codec.property.BinaryData;

/**
 * An {@link EnhancedAuthenticator} for tests, for the method {@link #METHOD}: each exchange (a CONNECT or a
 * re-authentication) gets one challenge, "challenge"; the response "response" is accepted with "welcome", anything
 * else refused with 0x87. It records each exchange's first Authentication Data.
 */
public final class ChallengeAuthenticator implements EnhancedAuthenticator {
    public static final String METHOD = "TEST-CHALLENGE";
    private final List<BinaryData> begun = new CopyOnWriteArrayList<>();

    /** The UTF-8 bytes of {@code s}. */
    public static BinaryData bytes(String s) {
        return BinaryData.of(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The first Authentication Data of each exchange so far, in order (empty where there was none). */
    public List<BinaryData> begun() {
        return List.copyOf(begun);
    }

    @Override
    public Set<String> methods() {
        return Set.of(METHOD);
    }

    @Override
    public AuthExchange begin(String method, ConnectRequest request) {
        int[] round = {0};
        return data -> {
            if (round[0]++ == 0) {
                begun.add(data == null ? BinaryData.EMPTY : data);
                return new AuthStep.Continue(bytes("challenge"));
            }
            return bytes("response").equals(data) ? new AuthStep.Success(bytes("welcome"))
                    : new AuthStep.Failure(ReasonCode.NOT_AUTHORIZED);
        };
    }
}
