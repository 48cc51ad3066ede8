package org.est4j.jaxrs.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.est4j.jaxrs.TestPki;
import org.junit.jupiter.api.Test;

class ClientCertificateValidatorTest {

    private static final TestPki.Ca ANCHOR = TestPki.ca("Trusted CA");
    private static final TestPki.Ca FOREIGN = TestPki.ca("Foreign CA");
    private final ClientCertificateValidator validator = new ClientCertificateValidator(List.of(ANCHOR.certificate()));
    private final KeyPair key = TestPki.ecKey();

    private ClientCertificateValidator.Result validate(X509Certificate... chain) {
        return validator.validate(List.of(chain), new Date());
    }

    @Test
    void acceptsACertificateIssuedByTheAnchor() {
        X509Certificate leaf = ANCHOR.issue("CN=device", key.getPublic(), null, KeyPurposeId.id_kp_clientAuth);
        ClientCertificateValidator.Result r = validate(leaf);
        assertTrue(r.valid(), r.failure());
        assertEquals(List.of(leaf), r.chain());
    }

    @Test
    void acceptsAChainThatIncludesTheAnchor() {
        X509Certificate leaf = ANCHOR.issue("CN=device", key.getPublic(), null);
        assertTrue(validate(leaf, ANCHOR.certificate()).valid());
    }

    @Test
    void refusesSelfSignedAndForeignCertificates() {
        ClientCertificateValidator.Result self = validate(TestPki.selfSigned("CN=attacker", key));
        assertFalse(self.valid());
        assertTrue(self.chain().isEmpty());
        assertTrue(self.failure().contains("not issued by a CA trusted"), self.failure());
        assertFalse(validate(FOREIGN.issue("CN=device", key.getPublic(), null)).valid());
    }

    @Test
    void refusesTheAnchorItselfAsAClientCertificate() {
        assertFalse(validate(ANCHOR.certificate()).valid());
    }

    @Test
    void refusesExpiredCertificatesSayingSo() {
        X509Certificate expired = TestPki.issue(ANCHOR, "CN=old", key.getPublic(), Instant.now().minus(Duration.ofDays(10)),
                Instant.now().minus(Duration.ofDays(1)), null);
        ClientCertificateValidator.Result r = validate(expired);
        assertFalse(r.valid());
        assertTrue(r.failure().contains("expired"), r.failure());
    }

    @Test
    void aRememberedValidationAnswersOnlyWithinTheTimeItHolds() {
        Instant notAfter = Instant.now().plus(Duration.ofSeconds(30)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        X509Certificate shortLived = TestPki.issue(ANCHOR, "CN=short", key.getPublic(), Instant.now().minus(Duration.ofDays(1)),
                notAfter, null);
        Date now = new Date();
        assertTrue(validator.validate(List.of(shortLived), now).valid());
        // remembered: the same chain again, a moment later
        assertTrue(validator.validate(List.of(shortLived), new Date(now.getTime() + 1_000)).valid());
        // after notAfter (inside the minute it would otherwise be remembered for): validated again, and refused
        ClientCertificateValidator.Result late = validator.validate(List.of(shortLived), Date.from(notAfter.plusSeconds(1)));
        assertFalse(late.valid());
        assertTrue(late.failure().contains("expired"), late.failure());
        // before the time it was validated at: validated again too (not yet valid)
        ClientCertificateValidator.Result early = validator.validate(List.of(shortLived), Date.from(Instant.now().minus(Duration.ofDays(2))));
        assertFalse(early.valid());
    }

    @Test
    void refusesCertificatesWhoseEkuExcludesClientAuth() {
        X509Certificate serverOnly = ANCHOR.issue("CN=web", key.getPublic(), null, KeyPurposeId.id_kp_serverAuth);
        ClientCertificateValidator.Result r = validate(serverOnly);
        assertFalse(r.valid());
        assertTrue(r.failure().contains("extended key usage"), r.failure());
    }

    @Test
    void nothingValidatesWithoutAnchors() {
        X509Certificate leaf = ANCHOR.issue("CN=device", key.getPublic(), null);
        assertFalse(new ClientCertificateValidator(List.of()).validate(List.of(leaf), new Date()).valid());
    }
}
