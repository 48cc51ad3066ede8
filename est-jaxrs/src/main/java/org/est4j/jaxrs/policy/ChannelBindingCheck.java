package org.est4j.jaxrs.policy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.auth.ChannelBinding;

/**
 * Proof-of-possession linking (RFC 7030 section 3.5): the CSR's challengePassword must carry the base64
 * channel binding of the TLS session the request arrived on, so that a request signed elsewhere (a
 * stolen password, a replayed CSR) cannot be enrolled. Compared in constant time.
 */
public final class ChannelBindingCheck {

    /** What a label demands. */
    public enum Mode {
        /** Not checked (the default). */
        OFF,
        /** Checked when the CSR has a challengePassword and the connection has a binding. */
        IF_PRESENT,
        /** Every request must carry the binding of a connection that has one. */
        REQUIRED
    }

    private ChannelBindingCheck() {
    }

    /** @throws EstProtocolException 400 with the reason when the request is not linked as the mode demands */
    public static void check(Mode mode, Optional<String> challengePassword, Optional<ChannelBinding> binding) {
        if (mode == Mode.OFF) {
            return;
        }
        if (binding.isEmpty()) {
            if (mode == Mode.REQUIRED) {
                throw EstProtocolException.badRequest("proof-of-possession linking is required, but this connection offers "
                        + "no channel binding (tls-unique needs TLS 1.2, tls-exporter a TLS layer that exports it)");
            }
            return;
        }
        if (challengePassword.isEmpty()) {
            if (mode == Mode.REQUIRED) {
                throw EstProtocolException.badRequest("proof-of-possession linking is required: put the base64 "
                        + binding.get().type() + " of this TLS session in the CSR's challengePassword (RFC 7030 section 3.5)");
            }
            return;
        }
        byte[] sent;
        try {
            sent = Base64.getDecoder().decode(challengePassword.get().strip().getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            sent = new byte[0];
        }
        if (!MessageDigest.isEqual(sent, binding.get().value())) {
            throw EstProtocolException.badRequest("the CSR's challengePassword is not the " + binding.get().type()
                    + " of this TLS session: the request was made for another connection (RFC 7030 section 3.5)");
        }
    }
}
