package org.est4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;


import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.est.ESTService;
import org.bouncycastle.est.EnrollmentResponse;
import org.bouncycastle.est.jcajce.JcaJceUtils;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * est4j behind HAProxy 2.6 with docs/proxies/haproxy.cfg (%[ssl_c_der,base64]), which also forwards the
 * session's tls-unique (%[ssl_fc_unique_id,base64]) and protocol: the one proxy that lets est4j check
 * proof-of-possession linking (RFC 7030 section 3.5), here on a label that requires it.
 */
class HaproxyProxyTest extends BehindProxyScenarios {

    @Deployment(testable = false)
    static WebArchive est4j() {
        return deployBehind(ProxyProcess.Kind.HAPROXY, """
                proxy.channel-binding-header = X-SSL-Channel-Binding
                proxy.tls-protocol-header = X-SSL-Protocol
                label.linked.ca = default
                label.linked.channel-binding = required
                """);
    }

    @BeforeAll
    static void startHaproxy() throws Exception {
        startProxy(ProxyProcess.Kind.HAPROXY);
    }

    @Override
    String forgedHeaderValue(X509Certificate certificate) throws Exception {
        return Base64.getEncoder().encodeToString(certificate.getEncoded());
    }

    /** BouncyCastle's client over BCJSSE and TLS 1.2, where tls-unique exists; label "linked". */
    private ESTService linkedClient() {
        return Pki.tlsUniqueClient(target, "linked");
    }

    @Test
    void bcClientEnrollsWithItsTlsUniqueInTheChallengePassword() throws Exception {
        KeyPair keys = Pki.p256();
        EnrollmentResponse response = linkedClient().simpleEnrollPoP(false,
                new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=linked-device"), keys.getPublic()),
                new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()), preemptiveBasic());

        assertTrue(response.isCompleted());
        List<X509Certificate> certs = Pki.toCertificates(response.getStore().getMatches(null));
        assertEquals("CN=linked-device", certs.get(0).getSubjectX500Principal().getName());
        Pki.pkixValidate(certs.get(0), target.ca());
    }

    /** A CSR carrying the tls-unique of another (earlier) session: a replay, refused. */
    @Test
    void aRequestLinkedToAnotherSessionIsRefused() throws Exception {
        KeyPair keys = Pki.p256();
        PKCS10CertificationRequest replayed = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=replayed"), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_challengePassword,
                        new DERPrintableString(Base64.getEncoder().encodeToString(new byte[12])))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        javax.net.ssl.SSLContext tls12 = javax.net.ssl.SSLContext.getInstance("TLSv1.2");
        tls12.init(null, JcaJceUtils.getCertPathTrustManager(Set.of(new TrustAnchor(target.ca(), null)), null), null);

        EstHttp.Reply reply = new EstHttp(target.estBase(), tls12).basic(target.user(), target.password())
                .postCsr("linked/simpleenroll", replayed.getEncoded());

        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.text().contains("not the tls-unique of this TLS session"), reply::toString);
    }

    /** TLS 1.3 has no tls-unique: where linking is required, the request is refused with the reason. */
    @Test
    void overTls13ThereIsNoBindingAndRequiredLinkingRefuses() throws Exception {
        EstHttp.Reply reply = withPassword().postCsr("linked/simpleenroll", Pki.csr(Pki.p256(), "CN=tls13-device").getEncoded());
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.text().contains("offers no channel binding"), reply::toString);
        assertEquals(200, withPassword().postCsr("simpleenroll", Pki.csr(Pki.p256(), "CN=tls13-unlinked").getEncoded()).status(),
                "labels without the requirement are unaffected");
    }
}
