package org.est4j.jaxrs.codec;

import java.security.Provider;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The BouncyCastle provider instance est4j hands to BouncyCastle's builders.
 *
 * <p>Why an instance and not {@code Security.addProvider}: a web application must not change the
 * JVM-wide provider list (it would leak across redeployments and change other applications'
 * crypto). Passing the instance also sidesteps JDK 17's SunEC, which cannot build EC keys from a
 * {@code SubjectPublicKeyInfo} for BouncyCastle's verifier builder.
 */
public final class BouncyCastle {

    public static final Provider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {
    }
}
