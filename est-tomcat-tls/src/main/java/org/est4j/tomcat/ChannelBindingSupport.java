package org.est4j.tomcat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import javax.net.ssl.SSLSession;

import org.apache.tomcat.util.net.jsse.JSSESupport;

/**
 * Tomcat's per-request view of the TLS session, plus the channel binding. Tomcat publishes it as the request
 * attribute {@code jakarta.servlet.request.ssl_session_mgr}; est4j reads it there through the JDK interface
 * {@link Function} (binding type, {@code tls-unique} or {@code tls-exporter}, to its bytes or null), so the
 * WAR needs no class of this add-on.
 */
public final class ChannelBindingSupport extends JSSESupport implements Function<String, byte[]> {

    private final Function<String, byte[]> bindings;

    ChannelBindingSupport(SSLSession session, Map<String, List<String>> additionalAttributes, Function<String, byte[]> bindings) {
        super(session, additionalAttributes);
        this.bindings = bindings;
    }

    @Override
    public byte[] apply(String type) {
        byte[] value = bindings.apply(type);
        return value == null ? null : value.clone();
    }
}
