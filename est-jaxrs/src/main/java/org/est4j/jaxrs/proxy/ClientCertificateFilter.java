package org.est4j.jaxrs.proxy;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;

/**
 * Takes the EST client's certificate from a trusted TLS terminator's header (draft-ietf-pkix-est
 * Appendix B, "external TLS concentrator") and publishes it as the standard
 * {@code jakarta.servlet.request.X509Certificate} attribute, so nothing downstream knows whether TLS
 * ended in the container or at the proxy. est4j then validates the chain itself, exactly as it
 * validates a container's, so the proxy's own verdict is advisory.
 *
 * <p>Fail closed: only a peer in {@code proxy.trusted-addresses} (and, if set, arriving on one of
 * {@code proxy.local-ports}) is believed. From anyone else the forwarded headers are removed from
 * the request seen downstream, and the attempt is logged once per peer per minute, without the
 * header value. A trusted proxy's malformed header is refused with 400 and a reason. Behind a
 * trusted proxy, a certificate the container itself saw belongs to the proxy's connection, so by
 * default it is dropped ({@code proxy.client-cert.precedence=proxy}).
 *
 * <p>Configured with the init-params {@link ProxyConfig} documents.
 */
public class ClientCertificateFilter extends GenericFilter {
    private static final long serialVersionUID = 1L;

    /** Request attribute with the channel binding (tls-unique) the proxy forwarded, as bytes. */
    public static final String CHANNEL_BINDING_ATTRIBUTE = org.est4j.jaxrs.HttpRequestInfo.CHANNEL_BINDING_ATTRIBUTE;
    /** Request attribute with the TLS protocol version of the client's connection to the proxy. */
    public static final String TLS_PROTOCOL_ATTRIBUTE = org.est4j.jaxrs.HttpRequestInfo.TLS_PROTOCOL_ATTRIBUTE;

    private static final System.Logger LOG = System.getLogger(ClientCertificateFilter.class.getName());
    private static final long SPOOF_LOG_INTERVAL_MS = 60_000;

    private transient ProxyConfig config;
    private final transient Map<String, Long> spoofLogged = new ConcurrentHashMap<>();

    public ClientCertificateFilter() {
    }

    /** For programmatic registration with an already-parsed configuration. */
    public ClientCertificateFilter(ProxyConfig config) {
        this.config = config;
    }

    @Override
    public void init() throws ServletException {
        if (config == null) {
            Map<String, String> params = new HashMap<>();
            for (Enumeration<String> names = getInitParameterNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                params.put(name, getInitParameter(name));
            }
            try {
                config = ProxyConfig.parse(params);
            } catch (IllegalArgumentException e) {
                throw new ServletException("est4j client-certificate filter: " + e.getMessage());
            }
        }
        LOG.log(Level.INFO, "est4j accepts forwarded client certificates ({0}, header {1}) from {2}{3}",
                config.format().configName(), config.header(), config.trusted(),
                config.localPorts().isEmpty() ? "" : " on local ports " + config.localPorts());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest downstream = new ForwardedHeadersHidden(request, config);
        if (!config.isTrustedPeer(request.getRemoteAddr(), request.getLocalPort())) {
            logSpoofAttempt(request);
            chain.doFilter(downstream, response);
            return;
        }
        if (!clientSideWasHttps(request)) {
            refuse(response, 403, "EST requires HTTPS between the client and the proxy (RFC 7030 section 3.3)");
            return;
        }
        List<X509Certificate> forwarded;
        try {
            forwarded = config.format().parse(name -> Collections.list(request.getHeaders(name)), config.parserSettings());
            forwardChannelBinding(request);
        } catch (ForwardedHeaderException e) {
            refuse(response, 400, e.getMessage());
            return;
        }
        if (config.verifyHeader() != null) {
            String verdict = request.getHeader(config.verifyHeader());
            LOG.log(Level.DEBUG, "proxy verify result for {0}: {1}", request.getRemoteAddr(), verdict);
        }
        Object container = request.getAttribute(HttpRequestInfo.X509_ATTRIBUTE);
        if (config.containerFirst() && container != null) {
            LOG.log(Level.DEBUG, "keeping the container's TLS client certificate (precedence=container)");
        } else if (!forwarded.isEmpty()) {
            if (container != null) {
                LOG.log(Level.DEBUG, "the forwarded client certificate replaces the container's (precedence=proxy)");
            }
            request.setAttribute(HttpRequestInfo.X509_ATTRIBUTE, forwarded.toArray(X509Certificate[]::new));
        } else if (container != null) {
            // the container's certificate is the proxy's own (upstream mTLS), never the EST client's
            request.removeAttribute(HttpRequestInfo.X509_ATTRIBUTE);
        }
        chain.doFilter(downstream, response);
    }

    private boolean clientSideWasHttps(HttpServletRequest request) {
        if (config.forwardedProtoHeader() == null) {
            return true;
        }
        String proto = request.getHeader(config.forwardedProtoHeader());
        return proto != null && proto.strip().equalsIgnoreCase("https");
    }

    private void forwardChannelBinding(HttpServletRequest request) throws ForwardedHeaderException {
        if (config.channelBindingHeader() != null) {
            String binding = request.getHeader(config.channelBindingHeader());
            if (binding != null && !binding.isBlank()) {
                request.setAttribute(CHANNEL_BINDING_ATTRIBUTE, CertificateText.base64(config.channelBindingHeader(), binding));
            }
        }
        if (config.tlsProtocolHeader() != null) {
            String protocol = request.getHeader(config.tlsProtocolHeader());
            if (protocol != null && !protocol.isBlank()) {
                request.setAttribute(TLS_PROTOCOL_ATTRIBUTE, protocol.strip());
            }
        }
    }

    private void logSpoofAttempt(HttpServletRequest request) {
        for (Enumeration<String> names = request.getHeaderNames(); names != null && names.hasMoreElements(); ) {
            String name = names.nextElement();
            if (config.isForwardedHeader(name)) {
                long now = System.currentTimeMillis();
                String peer = request.getRemoteAddr();
                if (spoofLogged.size() > 10_000) {
                    spoofLogged.clear(); // bounded memory under a flood of addresses
                }
                Long last = spoofLogged.get(peer);
                if (last == null || now - last >= SPOOF_LOG_INTERVAL_MS) {
                    spoofLogged.put(peer, now);
                    LOG.log(Level.WARNING, "ignored forwarded header {0} from untrusted peer {1} on port {2} "
                            + "(not in proxy.trusted-addresses/local-ports; logged once a minute per peer)",
                            name, peer, Integer.toString(request.getLocalPort()));
                }
                return;
            }
        }
    }

    private static void refuse(HttpServletResponse response, int status, String reason) throws IOException {
        EstReply.text(status, reason, Map.of()).writeTo(response);
    }

    /** The request as the application sees it: the proxy's headers are consumed here and gone downstream. */
    static final class ForwardedHeadersHidden extends HttpServletRequestWrapper {
        private final ProxyConfig config;

        ForwardedHeadersHidden(HttpServletRequest request, ProxyConfig config) {
            super(request);
            this.config = config;
        }

        @Override
        public String getHeader(String name) {
            return config.isForwardedHeader(name) ? null : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return config.isForwardedHeader(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(config::isForwardedHeader);
            return Collections.enumeration(names);
        }

        @Override
        public int getIntHeader(String name) {
            return config.isForwardedHeader(name) ? -1 : super.getIntHeader(name);
        }

        @Override
        public long getDateHeader(String name) {
            return config.isForwardedHeader(name) ? -1 : super.getDateHeader(name);
        }
    }

}
