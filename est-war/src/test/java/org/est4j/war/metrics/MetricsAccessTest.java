package org.est4j.war.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.security.auth.x500.X500Principal;

import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.war.config.ConfigException;
import org.est4j.war.config.MetricsSettings;
import org.est4j.war.packages.PackageFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may read /metrics: the verdicts behind 200, 401 and 403 (404 while off is the servlet's, tested on Tomcat). */
class MetricsAccessTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path home;

    private MetricsAccess access() throws Exception {
        Files.writeString(home.resolve("metrics.token"), TOKEN + "\n");
        return MetricsAccess.of(home, new MetricsSettings(Optional.of("metrics.token"), Optional.empty(), 30),
                new ClientCertificateValidator(List.of()));
    }

    @Test
    void theTokenOfTheFileIsLetIn() throws Exception {
        assertEquals(MetricsAccess.Verdict.ALLOWED, access().check("Bearer " + TOKEN, List.of()));
        assertEquals(MetricsAccess.Verdict.ALLOWED, access().check("bearer  " + TOKEN + " ", List.of()));
    }

    @Test
    void nothingIs401AndAnythingElse403() throws Exception {
        MetricsAccess access = access();
        assertEquals(MetricsAccess.Verdict.UNAUTHENTICATED, access.check(null, List.of()));
        assertEquals(MetricsAccess.Verdict.FORBIDDEN, access.check("Bearer " + TOKEN.substring(1), List.of()));
        assertEquals(MetricsAccess.Verdict.FORBIDDEN, access.check("Bearer " + TOKEN + "0", List.of()));
        assertEquals(MetricsAccess.Verdict.FORBIDDEN, access.check("Basic " + TOKEN, List.of()));
    }

    @Test
    void aShortTokenStopsStartUpWithoutShowingIt() throws Exception {
        Files.writeString(home.resolve("weak"), "secret");
        ConfigException e = assertThrows(ConfigException.class, () -> MetricsAccess.of(home,
                new MetricsSettings(Optional.of("weak"), Optional.empty(), 30), new ClientCertificateValidator(List.of())));
        assertTrue(e.getMessage().contains("at least 32") && !e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void withOnlyAClientSubjectATokenIsNoCredential() {
        MetricsAccess access = new MetricsAccess(Optional.empty(), Optional.of(new X500Principal("CN=prometheus")),
                new ClientCertificateValidator(List.of()));
        assertEquals(MetricsAccess.Verdict.UNAUTHENTICATED, access.check("Bearer " + TOKEN, List.of()));
    }

    @Test
    void theConfiguredSubjectWithAValidCertificateIsLetIn() throws Exception {
        PackageFixtures.Signer ca = PackageFixtures.signer("CN=Metrics Test CA");
        PackageFixtures.Signer otherCa = PackageFixtures.signer("CN=Someone Else's CA");
        // one RDN: BouncyCastle's X500Name and X500Principal read a multi-RDN string in opposite orders
        MetricsAccess access = new MetricsAccess(Optional.empty(), Optional.of(new X500Principal("CN=prometheus")),
                new ClientCertificateValidator(List.of(ca.certificate())));
        assertEquals(MetricsAccess.Verdict.ALLOWED,
                access.check(null, List.of(PackageFixtures.clientCertificate("CN=prometheus", ca, null, null))));
        assertEquals(MetricsAccess.Verdict.FORBIDDEN,
                access.check(null, List.of(PackageFixtures.clientCertificate("CN=device-1,O=Example", ca, null, null))));
        assertEquals(MetricsAccess.Verdict.FORBIDDEN, access.check(null,
                List.of(PackageFixtures.clientCertificate("CN=prometheus", otherCa, null, null))),
                "the subject alone is not enough: the certificate must validate");
    }
}
