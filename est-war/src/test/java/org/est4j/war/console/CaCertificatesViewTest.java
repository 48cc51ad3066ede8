package org.est4j.war.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Path;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;

import org.est4j.war.config.CaSettings;
import org.est4j.war.config.KeyAlgorithm;
import org.est4j.war.localca.LocalCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's "CA certificates" table names each certificate a CA holds, before, during and after a key rollover. */
class CaCertificatesViewTest {

    @TempDir
    Path dir;

    private static CaSettings settings() {
        return new CaSettings("default", KeyAlgorithm.EC_P256, "CN=Console View CA", 3650, 30, List.of(), new org.est4j.spi.CsrAttributes(List.of()),
                false, 60, org.est4j.jaxrs.policy.RequestPolicy.DEFAULTS, 24, URI.create("http://ca.example:8080/crl/default.crl"));
    }

    private static List<String> roles(List<ConsolePage.CaCertificate> held) {
        return held.stream().map(ConsolePage.CaCertificate::role).toList();
    }

    @Test
    void eachCertificateOfARolloverIsNamedByWhatItCertifiesAndWhoSignedIt() throws Exception {
        try (LocalCa ca = LocalCa.openOrCreate(dir, settings())) {
            X509Certificate oldRoot = ca.certificate();
            assertEquals(List.of("root"), roles(ConsoleServlet.certificatesOf(ca)));

            ca.rollover();
            List<ConsolePage.CaCertificate> held = ConsoleServlet.certificatesOf(ca);
            assertEquals(List.of("new root", "old root", "NewWithOld", "OldWithNew"), roles(held));
            X509Certificate newRoot = held.get(0).certificate();
            assertEquals(oldRoot, held.get(1).certificate());
            X509Certificate newWithOld = held.get(2).certificate();
            X509Certificate oldWithNew = held.get(3).certificate();
            // the names say who signed what: the JDK's verification, not est4j's bookkeeping
            newWithOld.verify(oldRoot.getPublicKey());
            assertEquals(newRoot.getPublicKey(), newWithOld.getPublicKey());
            oldWithNew.verify(newRoot.getPublicKey());
            assertEquals(oldRoot.getPublicKey(), oldWithNew.getPublicKey());
            assertThrows(SignatureException.class, () -> newWithOld.verify(newRoot.getPublicKey()));

            ca.finishRollover();
            assertEquals(List.of("root"), roles(ConsoleServlet.certificatesOf(ca)));
            assertEquals(newRoot, ConsoleServlet.certificatesOf(ca).get(0).certificate());
        }
    }
}
