package org.est4j.tomcat;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

import org.apache.tomcat.util.net.SSLContext;
import org.bouncycastle.jsse.BCSSLConnection;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/**
 * Tomcat's SSL context, made with BouncyCastle's JSSE provider (passed as an instance, never installed
 * JVM-wide), which remembers its engines so that the tls-unique of a connection can be read from the
 * engine whose session a request arrived on. SunJSSE has no channel-binding API; BCJSSE's connection does.
 */
final class BcJsseContext implements SSLContext {

    private final javax.net.ssl.SSLContext context;
    /** Live engines; weak, so a closed connection's engine is collected with it. */
    private final Map<SSLEngine, Boolean> engines = Collections.synchronizedMap(new WeakHashMap<>());
    private KeyManager[] keyManagers;
    private TrustManager[] trustManagers;

    BcJsseContext(String protocol) throws NoSuchAlgorithmException {
        // BCJSSE's crypto from a BouncyCastle provider instance: Tomcat's JVM has none installed, and BCJSSE would
        // otherwise look up "BC" by name ("DEFAULT SecureRandom not available")
        this.context = javax.net.ssl.SSLContext.getInstance(protocol, new BouncyCastleJsseProvider(new BouncyCastleProvider()));
    }

    @Override
    public void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr) throws KeyManagementException {
        KeyManager[] adapted = kms == null ? null : new KeyManager[kms.length];
        for (int i = 0; kms != null && i < kms.length; i++) {
            adapted[i] = kms[i] instanceof X509KeyManager x509 ? new KeyTypeTolerantKeyManager(x509) : kms[i];
        }
        keyManagers = kms;
        trustManagers = tms;
        context.init(adapted, tms, sr);
    }

    @Override
    public void destroy() {
        engines.clear();
    }

    @Override
    public SSLSessionContext getServerSessionContext() {
        return context.getServerSessionContext();
    }

    @Override
    public SSLEngine createSSLEngine() {
        SSLEngine engine = context.createSSLEngine();
        engines.put(engine, Boolean.TRUE);
        return engine;
    }

    @Override
    public SSLServerSocketFactory getServerSocketFactory() {
        return context.getServerSocketFactory();
    }

    @Override
    public SSLParameters getSupportedSSLParameters() {
        return context.getSupportedSSLParameters();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        for (KeyManager km : keyManagers == null ? new KeyManager[0] : keyManagers) {
            if (km instanceof X509KeyManager x509) {
                X509Certificate[] chain = x509.getCertificateChain(alias);
                if (chain != null && chain.length > 0) {
                    return chain;
                }
            }
        }
        return null;
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        List<X509Certificate> issuers = new ArrayList<>();
        for (TrustManager tm : trustManagers == null ? new TrustManager[0] : trustManagers) {
            if (tm instanceof X509TrustManager x509) {
                issuers.addAll(List.of(x509.getAcceptedIssuers()));
            }
        }
        return issuers.toArray(X509Certificate[]::new);
    }

    /**
     * The tls-unique (RFC 5929) of the one connection whose session is {@code session}; null when there is
     * none, or when a resumed session is shared by several live connections and the request's cannot be told.
     */
    byte[] tlsUnique(SSLSession session) {
        List<SSLEngine> matching = new ArrayList<>(1);
        synchronized (engines) {
            for (SSLEngine engine : engines.keySet()) {
                if (engine.getSession() == session) {
                    matching.add(engine);
                }
            }
        }
        if (matching.size() != 1 || !(matching.get(0) instanceof BCSSLEngine bc)) {
            return null;
        }
        BCSSLConnection connection = bc.getConnection();
        return connection == null ? null : connection.getChannelBinding("tls-unique");
    }
}
