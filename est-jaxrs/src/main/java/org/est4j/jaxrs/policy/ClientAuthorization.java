package org.est4j.jaxrs.policy;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.spi.AuthenticatedClient;

/**
 * Which authenticated clients may enroll on a label, and for which subjects: a coarse first filter in
 * configuration, applied before the CA is asked; the CA still has the last word on every request.
 *
 * <p>Patterns are globs ({@code *} any run of characters) compared case-insensitively:
 * {@code clients} against {@code user:<HTTP user>} and {@code cert:<subject of the TLS certificate, RFC 2253>},
 * {@code subjects} against the requested subject (RFC 2253). Empty lists allow everything. A client whose
 * authentication was incomplete (queued for a person, RFC 7030 section 3.7) is not filtered by {@code clients}:
 * the person decides.
 *
 * @param clients  who may enroll here, e.g. {@code user:factory-*}, {@code cert:CN=*,O=Example Routers}
 * @param subjects which subjects may be requested here, e.g. {@code CN=*.iot.example.org}
 */
public record ClientAuthorization(List<String> clients, List<String> subjects) {

    public static final ClientAuthorization ANYONE = new ClientAuthorization(List.of(), List.of());

    public ClientAuthorization {
        clients = List.copyOf(clients);
        subjects = List.copyOf(subjects);
    }

    /** @throws EstProtocolException 403 naming what is not allowed */
    public void check(AuthenticatedClient client, X500Principal requestedSubject) {
        if (!clients.isEmpty() && client.isAuthenticated()) {
            boolean allowed = client.username().map(u -> matchesAny(clients, "user:" + u)).orElse(false)
                    || client.certificate().map(c -> matchesAny(clients, "cert:" + c.getSubjectX500Principal().getName())).orElse(false);
            if (!allowed) {
                throw EstProtocolException.forbidden("this client may not enroll under this label");
            }
        }
        if (!subjects.isEmpty() && !matchesAny(subjects, requestedSubject.getName())) {
            throw EstProtocolException.forbidden("the subject " + org.est4j.jaxrs.ClientText.quote(requestedSubject.getName(), org.est4j.jaxrs.ClientText.REPLY_LIMIT) + " may not be requested under this label");
        }
    }

    private static boolean matchesAny(List<String> globs, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        for (String glob : globs) {
            String regex = java.util.Arrays.stream(glob.toLowerCase(Locale.ROOT).split("\\*", -1))
                    .map(Pattern::quote).collect(java.util.stream.Collectors.joining(".*"));
            if (Pattern.matches(regex, v)) {
                return true;
            }
        }
        return false;
    }
}
