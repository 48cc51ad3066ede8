package org.est4j.jaxrs.codec;

import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.est4j.spi.CertificationRequest;

/**
 * A decoded and signature-checked PKCS#10 request: the SPI value handed to the CA, and the parsed
 * BouncyCastle form that protocol checks (re-enrollment identity, attributes) read.
 */
public record DecodedCsr(CertificationRequest request, PKCS10CertificationRequest asn1) {
}
