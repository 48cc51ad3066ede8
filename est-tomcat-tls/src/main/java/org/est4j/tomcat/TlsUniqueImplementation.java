package org.est4j.tomcat;

import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSession;

import org.apache.tomcat.util.net.SSLContext;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.SSLUtil;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;
import org.apache.tomcat.util.net.jsse.JSSEUtil;

/**
 * Connector {@code sslImplementationName} for TLS 1.2 with the RFC 5929 {@code tls-unique} channel binding:
 * the connector's TLS runs on BouncyCastle's JSSE provider (BCJSSE), which exposes the first handshake's
 * Finished message, and est4j reads it per request to check RFC 7030 section 3.5 linking. Pin the connector
 * to {@code protocols="TLSv1.2"}: TLS 1.3 has no tls-unique (use {@link TlsExporterImplementation} there).
 * Keys, trust store and every other connector attribute work as with Tomcat's own JSSE implementation.
 */
public class TlsUniqueImplementation extends JSSEImplementation {

    /** One per certificate of the connector; a session belongs to exactly one of them. */
    private final List<BcJsseContext> contexts = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public SSLUtil getSSLUtil(SSLHostConfigCertificate certificate) {
        return new JSSEUtil(certificate) {
            @Override
            public SSLContext createSSLContextInternal(List<String> negotiableProtocols) throws java.security.NoSuchAlgorithmException {
                BcJsseContext created = new BcJsseContext(sslHostConfig.getSslProtocol());
                contexts.add(created);
                return created;
            }
        };
    }

    @Override
    public SSLSupport getSSLSupport(SSLSession session, Map<String, List<String>> additionalAttributes) {
        return new ChannelBindingSupport(session, additionalAttributes, type -> {
            if (!"tls-unique".equals(type)) {
                return null;
            }
            for (BcJsseContext c : contexts) {
                byte[] binding = c.tlsUnique(session);
                if (binding != null) {
                    return binding;
                }
            }
            return null;
        });
    }
}
