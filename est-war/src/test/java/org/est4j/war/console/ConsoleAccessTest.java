package org.est4j.war.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.war.access.AdminCertificate;
import org.est4j.war.config.ConsoleSettings;
import org.est4j.war.packages.PackageFixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Who gets the console: the verdicts behind 200, 401 and 403, and the operator each names for the audit trail. */
class ConsoleAccessTest {

    private static PackageFixtures.Signer ca;
    private static PackageFixtures.Signer otherCa;

    @BeforeAll
    static void pki() throws Exception {
        ca = PackageFixtures.signer("CN=Console Test CA");
        otherCa = PackageFixtures.signer("CN=Someone Else's CA");
        BOTH = access(Optional.of("est-operator"), Optional.of("CN=operator"));
    }

    /** A container with one realm: {@code users} (name to password) and {@code roles} (name to role). */
    private static final class FakeContainer implements ConsoleAccess.Caller {
        private final Map<String, String> users;
        private final Map<String, String> roles;
        private final String authorization;
        private final List<X509Certificate> chain;
        private Principal principal;
        int logins;

        FakeContainer(Principal already, String authorization, List<X509Certificate> chain) {
            this.users = Map.of("op", "op-pass", "device", "device-pass");
            this.roles = Map.of("op", "est-operator", "device", "est-client");
            this.principal = already;
            this.authorization = authorization;
            this.chain = chain;
        }

        @Override
        public Principal principal() {
            return principal;
        }

        @Override
        public boolean inRole(String role) {
            return principal != null && role.equals(roles.get(principal.getName()));
        }

        @Override
        public boolean login(String user, String password) {
            logins++;
            if (password.equals(users.get(user))) {
                principal = () -> user;
                return true;
            }
            return false;
        }

        @Override
        public String authorization() {
            return authorization;
        }

        @Override
        public List<X509Certificate> chain() {
            return chain;
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static ConsoleAccess access(Optional<String> role, Optional<String> subject) {
        return new ConsoleAccess(new ConsoleSettings(role, subject.map(X500Principal::new)),
                new AdminCertificate(subject.map(X500Principal::new), new ClientCertificateValidator(List.of(ca.certificate()))));
    }

    private static ConsoleAccess BOTH;

    @Test
    void aRealmUserWithTheRoleIsAnOperatorNamedWithTheRole() {
        ConsoleAccess.Verdict v = BOTH.check(new FakeContainer(null, basic("op", "op-pass"), List.of()));
        assertEquals(ConsoleAccess.Outcome.ALLOWED, v.outcome());
        assertEquals("console: op (container role est-operator)", v.operator().orElseThrow().actor());
    }

    @Test
    void aUserTheContainerAuthenticatedAlreadyNeedsNoPasswordButTheRole() {
        FakeContainer sso = new FakeContainer(() -> "op", null, List.of());
        assertEquals(ConsoleAccess.Outcome.ALLOWED, BOTH.check(sso).outcome());
        assertEquals(0, sso.logins, "no second login");
        assertEquals(ConsoleAccess.Outcome.FORBIDDEN, BOTH.check(new FakeContainer(() -> "device", null, List.of())).outcome());
    }

    @Test
    void noCredentialsOrAWrongPasswordIs401AndAnotherRole403() {
        assertEquals(ConsoleAccess.Outcome.UNAUTHENTICATED, BOTH.check(new FakeContainer(null, null, List.of())).outcome());
        assertEquals(ConsoleAccess.Outcome.UNAUTHENTICATED, BOTH.check(new FakeContainer(null, basic("op", "wrong"), List.of())).outcome());
        assertEquals(ConsoleAccess.Outcome.UNAUTHENTICATED, BOTH.check(new FakeContainer(null, "Basic !!!", List.of())).outcome());
        assertEquals(ConsoleAccess.Outcome.UNAUTHENTICATED, BOTH.check(new FakeContainer(null, "Bearer x", List.of())).outcome());
        assertEquals(ConsoleAccess.Outcome.FORBIDDEN, BOTH.check(new FakeContainer(null, basic("device", "device-pass"), List.of())).outcome());
    }

    @Test
    void theAdminCertificateIsAnOperatorNamedBySubject() throws Exception {
        X509Certificate admin = PackageFixtures.clientCertificate("CN=operator", ca, null, null);
        FakeContainer container = new FakeContainer(null, null, List.of(admin));
        ConsoleAccess.Verdict v = BOTH.check(container);
        assertEquals(ConsoleAccess.Outcome.ALLOWED, v.outcome());
        assertEquals("console: CN=operator (TLS client certificate)", v.operator().orElseThrow().actor());
        assertEquals(0, container.logins);
    }

    @Test
    void anotherCertificateOrTheSubjectFromAnotherCaIsNoOperator() throws Exception {
        ConsoleAccess certificateOnly = access(Optional.empty(), Optional.of("CN=operator"));
        assertEquals(ConsoleAccess.Outcome.FORBIDDEN, certificateOnly.check(new FakeContainer(null, null,
                List.of(PackageFixtures.clientCertificate("CN=device-1", ca, null, null)))).outcome());
        assertEquals(ConsoleAccess.Outcome.FORBIDDEN, certificateOnly.check(new FakeContainer(null, null,
                List.of(PackageFixtures.clientCertificate("CN=operator", otherCa, null, null)))).outcome(),
                "the subject alone is not enough: the certificate must validate");
        assertEquals(ConsoleAccess.Outcome.FORBIDDEN, certificateOnly.check(new FakeContainer(null, null, List.of())).outcome());
        // without console.role a realm user is nobody, whatever the container says
        assertEquals(ConsoleAccess.Outcome.FORBIDDEN, certificateOnly.check(new FakeContainer(() -> "op", basic("op", "op-pass"), List.of()))
                .outcome());
    }

    @Test
    void withOnlyTheRoleNoCertificateCounts() throws Exception {
        ConsoleAccess roleOnly = access(Optional.of("est-operator"), Optional.empty());
        X509Certificate admin = PackageFixtures.clientCertificate("CN=operator", ca, null, null);
        assertEquals(ConsoleAccess.Outcome.UNAUTHENTICATED, roleOnly.check(new FakeContainer(null, null, List.of(admin))).outcome());
    }
}
