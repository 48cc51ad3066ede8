package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.TrustAnchor;
import java.util.Set;

import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.HttpAuth;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.est.jcajce.JsseESTServiceBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * HTTP users from the container's realm instead of est4j's store ({@code auth.users = container}): Tomcat's
 * UserDatabaseRealm of server.xml with the test's tomcat-users.xml, and the role {@code est-client} required.
 */
class ContainerRealmTest extends OwnConfigurationScenarios {


    static {
        Pki.registerBouncyCastle();
    }

    @Deployment(testable = false)
    static WebArchive est4jWithTomcatsRealm() {
        EstHomeConfig.append("ContainerRealmTest", """
                auth.users = container
                auth.container-role = est-client
                auth.digest-algorithm = MD5
                label.md5.ca = default
                label.md5.http-auth = digest
                """);
        return EstTarget.rootWar();
    }

    private EstHttp as(String user, String password) throws Exception {
        return new EstHttp(target.estBase(), Pki.tls(target.ca(), null)).basic(user, password);
    }

    @Test
    void aRealmUserWithTheRoleEnrolls() throws Exception {
        EstHttp.Reply reply = as("realm-device", "realm-pass-1").postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=realm-device").getEncoded());
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("CN=realm-device", Pki.certsOnly(reply.base64Body()).get(0).getSubjectX500Principal().getName());
    }

    @Test
    void bcClientAnswersTheChallengeWithRealmCredentials() throws Exception {
        KeyPair keys = Pki.p256();
        EnrollmentResponse response = new JsseESTServiceBuilder(target.authority(),
                JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(target.ca(), null)), null)).build()
                .simpleEnroll(false, Pki.csr(keys, "CN=realm-bc"), new HttpAuth(EstScenarios.REALM, "realm-device",
                        "realm-pass-1".toCharArray(), new SecureRandom(), new JcaDigestCalculatorProviderBuilder().build()));
        assertTrue(response.isCompleted());
    }

    @Test
    void withoutTheRoleOrWithAWrongPasswordOrAsEst4jsOwnUserIs401() throws Exception {
        byte[] csr = Pki.csr(Pki.p256(), "CN=realm-refused").getEncoded();
        assertEquals(401, as("realm-norole", "realm-pass-2").postCsr("simpleenroll", csr).status(), "no est-client role");
        assertEquals(401, as("realm-device", "wrong").postCsr("simpleenroll", csr).status());
        assertEquals(401, as(target.user(), target.password()).postCsr("simpleenroll", csr).status(),
                "est4j's own users.properties is not consulted in container mode");
    }

    /**
     * HTTP Digest with MD5, the algorithm libest and older curl builds use, in the same deployment: Digest
     * checks est4j's stored HA1 values, whatever answers Basic.
     */
    @Test
    void curlEnrollsWithMd5Digest() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("md5-digest");
        java.nio.file.Files.write(dir.resolve("device.csr"),
                java.util.Base64.getMimeEncoder().encode(Pki.csr(Pki.p256(), "CN=md5-digest").getEncoded()));
        Process curl = new ProcessBuilder("curl", "-sS", "--digest", "-u", target.user() + ":" + target.password(), "--cacert",
                target.estHome().resolve("ca.pem").toString(), "-H", "Content-Type: application/pkcs10", "--data-binary",
                "@" + dir.resolve("device.csr"), "-o", dir.resolve("out").toString(), "-D", dir.resolve("headers").toString(),
                "-w", "%{http_code}", target.estBase() + "md5/simpleenroll").redirectErrorStream(true).start();
        String status = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        assertTrue(curl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("200", status, () -> "curl --digest (MD5) got " + status);
        String headers = java.nio.file.Files.readString(dir.resolve("headers"));
        assertTrue(headers.contains("algorithm=\"MD5\""), "the challenge offered MD5:\n" + headers);
    }
}
