package org.est4j.spi;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The EST client behind a request, as est4j authenticated it.
 *
 * @param certificateChain the client's TLS certificate chain, leaf first, only when it passed PKIX
 *                         validation; empty otherwise. Whether TLS ended in the servlet container
 *                         or at a trusted proxy makes no difference here.
 * @param username         the HTTP user name when the client authenticated with HTTP credentials
 * @param methods          every method that succeeded; empty for an anonymous client
 * @param remoteAddress    the client's IP address as the container saw it (the immediate peer)
 * @param unverified       only for a client whose authentication was incomplete and whose request
 *                         est4j queued for manual authorization instead of refusing it (RFC 7030
 *                         section 3.7, configured per label): what it presented. {@code methods} is
 *                         then empty, and a CA must not issue without a human decision.
 */
public record AuthenticatedClient(List<X509Certificate> certificateChain,
                                  Optional<String> username,
                                  Set<AuthenticationMethod> methods,
                                  String remoteAddress,
                                  Optional<UnverifiedIdentity> unverified) {

    public AuthenticatedClient {
        certificateChain = List.copyOf(certificateChain);
        Objects.requireNonNull(username, "username");
        methods = Set.copyOf(methods);
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(unverified, "unverified");
    }

    /** A client as authentication left it (nothing unverified). */
    public AuthenticatedClient(List<X509Certificate> certificateChain, Optional<String> username,
                               Set<AuthenticationMethod> methods, String remoteAddress) {
        this(certificateChain, username, methods, remoteAddress, Optional.empty());
    }

    /** A client whose authentication was incomplete, passed on for manual authorization (RFC 7030 section 3.7). */
    public static AuthenticatedClient unverified(UnverifiedIdentity identity, String remoteAddress) {
        return new AuthenticatedClient(List.of(), Optional.empty(), Set.of(), remoteAddress, Optional.of(identity));
    }

    /** A client that presented no credentials (as for {@code /cacerts}). */
    public static AuthenticatedClient anonymous(String remoteAddress) {
        return new AuthenticatedClient(List.of(), Optional.empty(), Set.of(), remoteAddress);
    }

    /** The validated TLS client certificate, if the client authenticated with one. */
    public Optional<X509Certificate> certificate() {
        return certificateChain.isEmpty() ? Optional.empty() : Optional.of(certificateChain.get(0));
    }

    /** Whether the client proved its identity by any means. */
    public boolean isAuthenticated() {
        return !methods.isEmpty();
    }
}
