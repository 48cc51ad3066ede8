package org.est4j.war.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.est4j.war.Est4jRuntime;
import org.est4j.war.access.AdminCertificate;

/**
 * {@code GET /metrics}: est4j's metrics in Prometheus' text format, for the holder of the configured bearer token or
 * admin client certificate ({@code metrics.*}). 404 while no credential is configured: never anonymous.
 */
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Prometheus' text exposition format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Est4jRuntime.Metrics> metrics;
        try {
            metrics = CDI.current().select(Est4jRuntime.class).get().metrics();
        } catch (RuntimeException e) {
            text(response, 503, "503 est4j is not started");
            return;
        }
        if (metrics.isEmpty()) {
            text(response, 404, "404 metrics are off: set metrics.token-file or metrics.client-subject in est4j.properties");
            return;
        }
        switch (metrics.get().access().check(request.getHeader("Authorization"), AdminCertificate.chainOf(request))) {
            case ALLOWED -> {
                byte[] body = metrics.get().registry().scrape().getBytes(StandardCharsets.UTF_8);
                response.setStatus(200);
                response.setContentType(CONTENT_TYPE);
                response.setHeader("Cache-Control", "no-store");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
            }
            case UNAUTHENTICATED -> {
                response.setHeader("WWW-Authenticate", "Bearer realm=\"est4j-metrics\"");
                text(response, 401, "401 metrics need the bearer token of metrics.token-file or the client certificate of "
                        + "metrics.client-subject");
            }
            case FORBIDDEN -> text(response, 403, "403 this token or client certificate may not read the metrics");
        }
    }

    private static void text(HttpServletResponse response, int status, String line) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(line + "\n");
    }
}
