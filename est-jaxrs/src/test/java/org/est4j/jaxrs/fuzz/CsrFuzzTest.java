package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.Base64Transfer;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.codec.CsrDecoder;
import org.est4j.jaxrs.codec.DecodedCsr;
import org.est4j.spi.CertificateExtension;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.SubjectAltName;

/**
 * The PKCS#10 path of {@code /simpleenroll}, {@code /simplereenroll} and {@code /serverkeygen}: the
 * base64 transfer decoding of the body, then {@link CsrDecoder}. The only acceptable failure is an
 * {@link EstProtocolException} 400 with a one-line reason; a request that is accepted must have every
 * field the SPI promises, and (with proof of possession) a signature that verifies.
 */
class CsrFuzzTest {

    static {
        Fuzzing.init();
    }

    /** The request body as posted: base64 (any line layout, PEM armour) or raw DER, then decoded and verified. */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void base64Body(byte[] body) {
        byte[] der = Fuzzing.transferDecoded(body);
        if (der == null) {
            return;
        }
        assertNotNull(der);
        // what the server would send back in the same transfer encoding reads as the same octets
        assertArrayEquals(der, Base64Transfer.decode(Base64Transfer.encode(der)), "base64 transfer encoding round trip");
        decode(der, true);
    }

    /** {@link CsrDecoder#decode} on arbitrary octets (the DER a client posted without base64). */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void der(byte[] der) {
        decode(der, true);
    }

    /** {@link CsrDecoder#decodeTemplate}: the {@code /serverkeygen} template, whose signature is ignored. */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void template(byte[] der) {
        decode(der, false);
    }

    private static void decode(byte[] der, boolean proofOfPossession) {
        DecodedCsr csr;
        try {
            csr = proofOfPossession ? CsrDecoder.decode(der) : CsrDecoder.decodeTemplate(der);
        } catch (EstProtocolException e) {
            Fuzzing.assertBadRequest(e);
            return;
        }
        assertNotNull(csr, "decoded request");
        assertNotNull(csr.asn1(), "parsed request");
        CertificationRequest request = csr.request();
        assertNotNull(request, "SPI request");
        assertEquals(CertificationRequest.Format.PKCS10, request.format());
        assertArrayEquals(der, request.der(), "the SPI request carries the DER exactly as the client sent it");
        assertNotNull(request.subject(), "subject");
        assertNotNull(request.publicKey(), "public key");
        assertNotNull(request.publicKey().getEncoded(), "public key encoding");
        assertNotNull(request.challengePassword(), "challengePassword");
        assertNotNull(request.requestedExtensions(), "requested extensions");
        for (CertificateExtension extension : request.requestedExtensions()) {
            assertNotNull(extension.oid(), "extension OID");
            assertNotNull(extension.value(), "extension value");
        }
        assertNotNull(request.subjectAltNames(), "subjectAltNames");
        for (SubjectAltName name : request.subjectAltNames()) {
            assertNotNull(name.type(), "subjectAltName type");
            assertNotNull(name.value(), "subjectAltName value");
        }
        if (!request.subjectAltNames().isEmpty()) {
            assertTrue(request.requestedExtensions().stream().anyMatch(e -> e.oid().equals(Extension.subjectAlternativeName.getId())),
                    "subjectAltNames come from a requested subjectAltName extension");
        }
        if (proofOfPossession) {
            assertSignatureVerifies(csr.asn1());
        }
    }

    /**
     * An independent check of the proof of possession with BouncyCastle's own verifier: a request
     * est4j accepted must not be one whose signature BouncyCastle finds wrong. (When BouncyCastle
     * cannot check it at all, the algorithm is one only the native provider knows: no verdict.)
     */
    private static void assertSignatureVerifies(PKCS10CertificationRequest csr) {
        Boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BouncyCastle.PROVIDER)
                    .build(csr.getSubjectPublicKeyInfo()));
        } catch (Exception e) {
            valid = null;
        }
        assertNotEquals(Boolean.FALSE, valid, "CsrDecoder.decode accepted a request whose signature does not verify");
    }
}
