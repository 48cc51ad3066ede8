package org.est4j.tomcat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSession;

import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.net.SSLSupport;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;

/**
 * Connector {@code sslImplementationName} for TLS 1.3 on JDK 25 and later: exposes the RFC 9266
 * {@code tls-exporter} binding (32 bytes, label {@code EXPORTER-Channel-Binding}, empty context) through
 * {@code ExtendedSSLSession.exportKeyingMaterialData}, which SunJSSE has since JDK 25. On older JDKs, or on a
 * TLS 1.2 connection, there is no binding and est4j says so when a label requires one.
 */
public class TlsExporterImplementation extends JSSEImplementation {

    private static final Log LOG = LogFactory.getLog(TlsExporterImplementation.class);
    static final String LABEL = "EXPORTER-Channel-Binding";
    /** Looked up reflectively: this jar is compiled for Java 17, where the method does not exist. */
    private static final Method EXPORT = exportMethod();

    private static Method exportMethod() {
        try {
            return ExtendedSSLSession.class.getMethod("exportKeyingMaterialData", String.class, byte[].class, int.class);
        } catch (NoSuchMethodException e) {
            LOG.warn("est4j: this JDK cannot export TLS keying material (JDK 25+ can): no tls-exporter channel binding");
            return null;
        }
    }

    @Override
    public SSLSupport getSSLSupport(SSLSession session, Map<String, List<String>> additionalAttributes) {
        return new ChannelBindingSupport(session, additionalAttributes, type -> exporter(session, type));
    }

    static byte[] exporter(SSLSession session, String type) {
        if (!"tls-exporter".equals(type) || EXPORT == null || !(session instanceof ExtendedSSLSession)
                || !"TLSv1.3".equals(session.getProtocol())) {
            return null;
        }
        try {
            return (byte[]) EXPORT.invoke(session, LABEL, new byte[0], 32);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("est4j: tls-exporter not available for this session", e);
            return null;
        }
    }
}
