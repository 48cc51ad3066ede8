package org.est4j.war;

import java.io.IOException;
import java.lang.System.Logger.Level;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.est4j.war.localca.LocalCa;

/**
 * Probes for a load balancer or Kubernetes: {@code GET /health/live} is 200 while the application is deployed;
 * {@code GET /health/ready} is 200 only while this instance can issue: its store takes writes (the database answers
 * and is not a read-only standby) and every local CA key signs (a PKCS#11 token may be gone). Otherwise 503 with
 * {@code Retry-After}, so that the balancer sends requests elsewhere rather than have them refused.
 *
 * <p>Unauthenticated and on plain HTTP too, as probes are; the body names what is unavailable but never why in detail
 * (host names, driver messages): those go to the log.
 */
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(HealthServlet.class.getName());

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        switch (path) {
            case "/live" -> text(response, HttpServletResponse.SC_OK, "200 live");
            case "/ready" -> ready(response);
            default -> text(response, HttpServletResponse.SC_NOT_FOUND, "404 probes are /health/live and /health/ready");
        }
    }

    private static void ready(HttpServletResponse response) throws IOException {
        Est4jRuntime runtime;
        try {
            runtime = CDI.current().select(Est4jRuntime.class).get();
            runtime.directory();
        } catch (RuntimeException e) {
            notReady(response, "est4j is not started", e);
            return;
        }
        try {
            runtime.store().checkAvailable();
        } catch (IOException e) {
            notReady(response, "the store is unavailable", e);
            return;
        }
        for (LocalCa ca : runtime.localCas()) {
            try {
                ca.checkKey();
            } catch (IOException e) {
                notReady(response, "the key of local CA " + ca.name() + " cannot sign", e);
                return;
            }
        }
        text(response, HttpServletResponse.SC_OK, "200 ready");
    }

    private static void notReady(HttpServletResponse response, String what, Exception cause) throws IOException {
        LOG.log(Level.WARNING, "not ready: " + what, cause);
        response.setHeader("Retry-After", Long.toString(Est4jRuntime.RETRY_AFTER.toSeconds()));
        text(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "503 not ready: " + what);
    }

    private static void text(HttpServletResponse response, int status, String line) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(line + "\n");
    }
}
