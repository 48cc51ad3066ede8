package org.est4j.tomcat;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Tomcat's key manager, asked in BCJSSE's words. Tomcat's JSSE key manager answers only for the key type
 * SunJSSE uses ({@code EC}, {@code RSA}); BCJSSE asks for a TLS 1.2 server credential with its own names
 * ({@code ECDHE_ECDSA}, ...), gets no alias and then finds "no selectable cipher suite". This adapter retries
 * with the JCA key algorithm the requested type needs.
 */
final class KeyTypeTolerantKeyManager extends X509ExtendedKeyManager {

    private final X509KeyManager delegate;

    KeyTypeTolerantKeyManager(X509KeyManager delegate) {
        this.delegate = delegate;
    }

    static String jcaKeyType(String keyType) {
        String t = keyType.toUpperCase(Locale.ROOT);
        if (t.contains("ECDSA") || t.equals("EC") || t.startsWith("EC_")) {
            return "EC";
        }
        if (t.contains("RSA")) {
            return "RSA";
        }
        if (t.contains("ED25519") || t.contains("ED448") || t.contains("EDDSA")) {
            return "EdDSA";
        }
        return keyType;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        String alias = delegate instanceof X509ExtendedKeyManager x ? x.chooseEngineServerAlias(keyType, issuers, engine)
                : delegate.chooseServerAlias(keyType, issuers, null);
        if (alias == null && !jcaKeyType(keyType).equals(keyType)) {
            alias = delegate instanceof X509ExtendedKeyManager x ? x.chooseEngineServerAlias(jcaKeyType(keyType), issuers, engine)
                    : delegate.chooseServerAlias(jcaKeyType(keyType), issuers, null);
        }
        return alias;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        String alias = delegate.chooseServerAlias(keyType, issuers, socket);
        return alias != null ? alias : delegate.chooseServerAlias(jcaKeyType(keyType), issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String[] aliases = delegate.getServerAliases(keyType, issuers);
        return aliases != null ? aliases : delegate.getServerAliases(jcaKeyType(keyType), issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return delegate.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate.getPrivateKey(alias);
    }
}
