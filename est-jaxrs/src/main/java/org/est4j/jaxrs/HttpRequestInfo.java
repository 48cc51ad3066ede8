package org.est4j.jaxrs;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import jakarta.servlet.http.HttpServletRequest;

import org.est4j.jaxrs.auth.ChannelBinding;
import org.est4j.jaxrs.auth.ContainerLogin;

/**
 * The parts of an HTTP request the EST protocol reads, taken from the servlet request once so that
 * the protocol classes run (and are unit-tested) without a container.
 *
 * @param contentType   the {@code Content-Type} header, or null
 * @param contentLength the declared body length, or -1 when unknown (chunked)
 * @param authorization the {@code Authorization} header, or null
 * @param tlsChain      the client certificate chain from {@code jakarta.servlet.request.X509Certificate},
 *                      leaf first; empty when the client sent none. Unvalidated.
 * @param remoteAddress the immediate peer's address
 * @param channelBinding the TLS channel binding of the client's connection, where the TLS layer reports one
 * @param method        the HTTP method
 * @param requestTarget the path and query as on the request line (what HTTP Digest's {@code uri} names)
 * @param containerLogin checks HTTP credentials against the container's realm (Tomcat realms, WildFly Elytron)
 * @param accept        the {@code Accept} header (several fields joined with ", "), or null when the client sent none
 * @param estBase       the URL of {@code /.well-known/est} as the client addressed it ({@code https://host:port} and
 *                      the context path as in the request), without a label: where the URLs this server hands
 *                      out (the package availability list's) start. Just the path when the host is unknown.
 */
public record HttpRequestInfo(String contentType, long contentLength, String authorization,
                              List<X509Certificate> tlsChain, String remoteAddress, Optional<ChannelBinding> channelBinding,
                              String method, String requestTarget, ContainerLogin containerLogin, String accept, String estBase) {

    /** The EST path (RFC 7030 section 3.2.2), the {@link #estBase} when the request tells nothing else. */
    public static final String WELL_KNOWN_EST = "/.well-known/est";

    /** Request attribute with the channel binding bytes, set by the proxy filter or a TLS connector add-on. */
    public static final String CHANNEL_BINDING_ATTRIBUTE = "org.est4j.channel-binding";
    /** Request attribute naming the binding's type ({@code tls-unique}, the default, or {@code tls-exporter}). */
    public static final String CHANNEL_BINDING_TYPE_ATTRIBUTE = "org.est4j.channel-binding-type";
    /** Where Tomcat publishes the connector's SSLSupport (the est-tomcat-tls add-on's carries the channel binding). */
    public static final String SSL_SESSION_MANAGER_ATTRIBUTE = "jakarta.servlet.request.ssl_session_mgr";
    /** Request attribute with the client's TLS protocol version as the TLS layer reported it. */
    public static final String TLS_PROTOCOL_ATTRIBUTE = "org.est4j.tls-protocol";

    /** The standard servlet attribute holding the TLS client certificate chain. */
    public static final String X509_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    public HttpRequestInfo {
        tlsChain = List.copyOf(tlsChain);
        Objects.requireNonNull(remoteAddress, "remoteAddress");
        Objects.requireNonNull(channelBinding, "channelBinding");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(requestTarget, "requestTarget");
        Objects.requireNonNull(containerLogin, "containerLogin");
        Objects.requireNonNull(estBase, "estBase");
    }

    /** A request without {@code Accept} whose URLs are relative to {@link #WELL_KNOWN_EST}. */
    public HttpRequestInfo(String contentType, long contentLength, String authorization, List<X509Certificate> tlsChain,
                           String remoteAddress, Optional<ChannelBinding> channelBinding, String method, String requestTarget,
                           ContainerLogin containerLogin) {
        this(contentType, contentLength, authorization, tlsChain, remoteAddress, channelBinding, method, requestTarget,
                containerLogin, null, WELL_KNOWN_EST);
    }

    /** A GET of {@code requestTarget} (tests and callers without a servlet request). */
    public static HttpRequestInfo get(String requestTarget, String accept, String authorization, List<X509Certificate> tlsChain,
                                      String remoteAddress, String estBase) {
        return new HttpRequestInfo(null, -1, authorization, tlsChain, remoteAddress, Optional.empty(), "GET", requestTarget,
                ContainerLogin.NONE, accept, estBase);
    }

    /** A POST with a channel binding (tests and callers that do not authenticate with Digest). */
    public HttpRequestInfo(String contentType, long contentLength, String authorization, List<X509Certificate> tlsChain,
                           String remoteAddress, Optional<ChannelBinding> channelBinding) {
        this(contentType, contentLength, authorization, tlsChain, remoteAddress, channelBinding, "POST", "", ContainerLogin.NONE);
    }

    /** A request without a channel binding. */
    public HttpRequestInfo(String contentType, long contentLength, String authorization, List<X509Certificate> tlsChain,
                           String remoteAddress) {
        this(contentType, contentLength, authorization, tlsChain, remoteAddress, Optional.empty(), "POST", "", ContainerLogin.NONE);
    }

    public static HttpRequestInfo from(HttpServletRequest request) {
        Object chain = request.getAttribute(X509_ATTRIBUTE);
        List<X509Certificate> certificates = chain instanceof X509Certificate[] array ? List.of(array) : List.of();
        return new HttpRequestInfo(request.getContentType(), request.getContentLengthLong(),
                request.getHeader("Authorization"), certificates, request.getRemoteAddr(), channelBinding(request),
                request.getMethod(), request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString()),
                (user, password, role) -> containerLogin(request, user, password, role), accept(request), estBase(request));
    }

    /** Every {@code Accept} field, joined as one list (RFC 9110 section 5.3), or null when there is none. */
    private static String accept(HttpServletRequest request) {
        java.util.Enumeration<String> fields = request.getHeaders("Accept");
        if (fields == null || !fields.hasMoreElements()) {
            return null;
        }
        return String.join(", ", java.util.Collections.list(fields));
    }

    /**
     * {@code scheme://host[:port]} as the client addressed the server (the {@code Host} header, which the servlet
     * container builds the request URL from), then the context path and {@code /.well-known/est}.
     */
    private static String estBase(HttpServletRequest request) {
        String path;
        StringBuffer url;
        String uri;
        try {
            path = (request.getContextPath() == null ? "" : request.getContextPath()) + WELL_KNOWN_EST;
            url = request.getRequestURL();
            uri = request.getRequestURI();
        } catch (UnsupportedOperationException e) {
            return WELL_KNOWN_EST; // a request object that does not know its URL (unit-test fakes)
        }
        if (url == null || uri == null || !url.toString().endsWith(uri)) {
            return path;
        }
        return url.substring(0, url.length() - uri.length()) + path;
    }

    /** {@code HttpServletRequest.login}: the realm of the container checks the password, and the role if one is asked for. */
    private static boolean containerLogin(HttpServletRequest request, String user, char[] password, Optional<String> role) {
        try {
            request.login(user, new String(password));
        } catch (jakarta.servlet.ServletException e) {
            return false;
        }
        return role.map(request::isUserInRole).orElse(true);
    }

    /**
     * The binding the TLS layer reported. A tls-unique reported for a TLS 1.3 connection is dropped: TLS 1.3 has
     * no tls-unique, and HAProxy's ssl_fc_unique_id is meaningless there.
     */
    private static Optional<ChannelBinding> channelBinding(HttpServletRequest request) {
        // est-tomcat-tls: Tomcat publishes the connector's SSLSupport here, a Function from binding type to bytes
        if (request.getAttribute(SSL_SESSION_MANAGER_ATTRIBUTE) instanceof Function<?, ?> support) {
            for (String type : List.of(ChannelBinding.TLS_EXPORTER, ChannelBinding.TLS_UNIQUE)) {
                @SuppressWarnings("unchecked")
                Object value = ((Function<Object, Object>) support).apply(type);
                if (value instanceof byte[] bytes && bytes.length > 0) {
                    return Optional.of(new ChannelBinding(type, bytes));
                }
            }
        }
        if (!(request.getAttribute(CHANNEL_BINDING_ATTRIBUTE) instanceof byte[] bytes) || bytes.length == 0) {
            return Optional.empty();
        }
        String type = request.getAttribute(CHANNEL_BINDING_TYPE_ATTRIBUTE) instanceof String t ? t : ChannelBinding.TLS_UNIQUE;
        if (type.equals(ChannelBinding.TLS_UNIQUE) && "TLSv1.3".equals(request.getAttribute(TLS_PROTOCOL_ATTRIBUTE))) {
            return Optional.empty();
        }
        return Optional.of(new ChannelBinding(type, bytes));
    }
}
