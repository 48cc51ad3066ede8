package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.cmc.BodyPartID;
import org.bouncycastle.asn1.cmc.CMCFailInfo;
import org.bouncycastle.asn1.cmc.CMCObjectIdentifiers;
import org.bouncycastle.asn1.cmc.PKIData;
import org.bouncycastle.asn1.cmc.TaggedCertificationRequest;
import org.bouncycastle.asn1.cmc.TaggedRequest;
import org.bouncycastle.asn1.crmf.CertReqMsg;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.TestPki;
import org.est4j.jaxrs.cmc.FullCmcProcessor;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.codec.ResponseSigner;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.UnknownLabelException;

/**
 * {@code /fullcmc}: {@link FullCmcProcessor#process}, which parses the CMS SignedData
 * (cmc/SignedPkiData), verifies it, reads the controls and decodes each request (cmc/CmcRequestDecoder).
 * Its documented outcomes: an {@link EstProtocolException} 400 when the body is not a SignedData of a
 * PKIData, otherwise a signed PKIResponse (CMC failures travel inside it). Anything else (another
 * exception, an unreadable or unsigned reply) is a finding.
 */
class FullCmcFuzzTest {

    static {
        Fuzzing.init();
    }

    private static final TestPki.Ca CA = TestPki.ca("est4j Fuzz CMC CA");
    private static final KeyPair RA_KEY = TestPki.ecKey();
    private static final X509Certificate RA_CERT = CA.issue("CN=est4j fuzz RA", RA_KEY.getPublic(), null, KeyPurposeId.id_kp_cmcRA);
    private static final FullCmcProcessor PROCESSOR = new FullCmcProcessor(new FuzzCa(CA),
            new ResponseSigner(RA_KEY.getPrivate(), List.of(RA_CERT, CA.certificate())));

    /** The EST client of {@link #body}: a device authenticated by its TLS certificate. */
    private static final AuthenticatedClient DEVICE = new AuthenticatedClient(
            List.of(CA.issue("CN=fuzz-device", TestPki.ecKey().getPublic(), null)), Optional.empty(),
            Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE), "192.0.2.10");

    /** The signer and EST client of {@link #signedPkiData}: a registration authority (so raVerified POP is accepted). */
    private static final KeyPair SIGNER_KEY = TestPki.ecKey();
    private static final X509Certificate SIGNER_CERT = CA.issue("CN=fuzz-ra-client", SIGNER_KEY.getPublic(), null,
            KeyPurposeId.id_kp_cmcRA);
    private static final AuthenticatedClient REGISTRATION_AUTHORITY = new AuthenticatedClient(List.of(SIGNER_CERT),
            Optional.empty(), Set.of(AuthenticationMethod.TLS_CLIENT_CERTIFICATE, AuthenticationMethod.REGISTRATION_AUTHORITY),
            "192.0.2.20");

    /**
     * The request body as EnrollmentHandler hands it over: base64 transfer decoding (raw DER passes
     * through), then the whole message as the client sent it, signature included.
     */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void body(byte[] body) {
        byte[] der = Fuzzing.transferDecoded(body);
        if (der == null) {
            return;
        }
        byte[] reply = process(der, DEVICE);
        if (reply != null) {
            CmcReplies.read(reply, RA_CERT);
        }
    }

    /**
     * The encapsulated PKIData only: the harness signs the fuzzer's octets correctly (as a client with
     * the key of a certificate it includes), so that mutations reach the controls and requests behind
     * the signature check. A correctly signed message never fails with badMessageCheck, and every
     * request of a PKIData gets a status unless the whole message failed.
     */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void signedPkiData(byte[] pkiData) {
        byte[] reply = process(sign(pkiData), REGISTRATION_AUTHORITY);
        if (reply == null) {
            return;
        }
        List<CmcReplies.Status> statuses = CmcReplies.read(reply, RA_CERT);
        assertFalse(statuses.isEmpty(), "a processed PKIData gets at least one status");
        for (CmcReplies.Status status : statuses) {
            assertTrue(status.failInfo() != CMCFailInfo.badMessageCheck,
                    "a correctly signed PKIData was answered with badMessageCheck: " + status);
        }
        if (statuses.stream().anyMatch(s -> s.bodyParts().contains(0L))) {
            return; // the whole message failed: no per-request statuses
        }
        for (long id : requestIds(pkiData)) {
            assertTrue(statuses.stream().anyMatch(s -> s.bodyParts().contains(id)), "request " + id + " got no status");
        }
    }

    /** The reply, or null after an acceptable 400. */
    private static byte[] process(byte[] der, AuthenticatedClient client) {
        try {
            return PROCESSOR.process(Optional.empty(), der, client);
        } catch (EstProtocolException e) {
            Fuzzing.assertBadRequest(e);
            return null;
        } catch (UnknownLabelException e) {
            fail("the test CA serves the default label", e);
            return null;
        }
    }

    private static byte[] sign(byte[] content) {
        try {
            CMSSignedDataGenerator g = new CMSSignedDataGenerator();
            g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build()).build(new JcaContentSignerBuilder("SHA256withECDSA")
                    .setProvider(BouncyCastle.PROVIDER).build(SIGNER_KEY.getPrivate()), SIGNER_CERT));
            g.addCertificates(new JcaCertStore(List.of(SIGNER_CERT)));
            return g.generate(new CMSProcessableByteArray(CMCObjectIdentifiers.id_cct_PKIData, content), true).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("the harness cannot sign", e);
        }
    }

    /** The bodyPartIDs of the requests of {@code pkiData}, read independently; empty when it is not a readable PKIData. */
    private static long[] requestIds(byte[] pkiData) {
        try {
            TaggedRequest[] requests = PKIData.getInstance(pkiData).getReqSequence();
            long[] ids = new long[requests.length];
            for (int i = 0; i < requests.length; i++) {
                TaggedRequest r = requests[i];
                ids[i] = switch (r.getTagNo()) {
                    case TaggedRequest.TCR -> TaggedCertificationRequest.getInstance(r.getValue()).getBodyPartID().getID();
                    case TaggedRequest.CRM -> BodyPartID.getInstance(CertReqMsg.getInstance(r.getValue()).getCertReq().getCertReqId()).getID();
                    default -> BodyPartID.getInstance(ASN1Sequence.getInstance(r.getValue()).getObjectAt(0)).getID();
                };
            }
            return ids;
        } catch (RuntimeException e) {
            return new long[0];
        }
    }
}
