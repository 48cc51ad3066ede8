package org.est4j.jaxrs;

import java.io.IOException;
import java.util.Optional;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.est4j.jaxrs.policy.Labels;

/**
 * Answers {@code GET /.well-known/est/cacerts} and {@code GET /.well-known/est/<label>/cacerts} in front of
 * the JAX-RS runtime, with the reply {@link EnrollmentHandler#caCertificates} keeps encoded.
 *
 * <p>Why: {@code /cacerts} is what every client polls, anonymously, and its reply is a constant; routing
 * it through JAX-RS (request scope, media-type parsing, message body writers) cost as much CPU as serving
 * it. The CA is still asked on every request and the reply is the same bytes {@link EstResource} sends.
 * Anything out of the ordinary (an unknown or malformed label, a CA error) goes on to {@link EstResource},
 * so errors keep their one mapping to HTTP. Declared after the proxy filter, which may refuse the
 * request first.
 */
public class CaCertificatesFilter extends GenericFilter {

    private static final String PREFIX = "/.well-known/est/";
    private static final String OPERATION = "cacerts";

    private transient volatile EnrollmentHandler handler;

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        String label = "GET".equals(request.getMethod()) ? cacertsLabel(request.getRequestURI(), request.getContextPath()) : null;
        EnrollmentHandler h = label == null ? null : handler();
        EstReply reply = null;
        if (h != null) {
            try {
                reply = h.caCertificates(label.isEmpty() ? Optional.empty() : Optional.of(label), request.getRemoteAddr());
            } catch (Exception e) {
                reply = null; // the resource answers, through the exception mapper
            }
        }
        if (reply == null || reply.status() != 200) {
            chain.doFilter(req, res);
            return;
        }
        reply.writeTo((HttpServletResponse) res);
    }

    /**
     * The label of a {@code cacerts} request, {@code ""} without one (a label is never empty), or null for any other
     * path.
     */
    static String cacertsLabel(String uri, String contextPath) {
        int start = contextPath.length();
        if (!uri.startsWith(PREFIX, start) || !uri.endsWith(OPERATION)) {
            return null;
        }
        String rest = uri.substring(start + PREFIX.length(), uri.length() - OPERATION.length());
        if (rest.isEmpty()) {
            return "";
        }
        String label = rest.substring(0, rest.length() - 1);
        return rest.endsWith("/") && Labels.isValid(label) ? label : null;
    }

    private EnrollmentHandler handler() {
        EnrollmentHandler h = handler;
        if (h == null) {
            try {
                h = CDI.current().select(EstResource.class).get().handler();
                handler = h;
            } catch (RuntimeException e) {
                return null; // no CDI container (yet): the resource answers
            }
        }
        return h;
    }
}
