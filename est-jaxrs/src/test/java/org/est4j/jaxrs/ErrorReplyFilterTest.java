package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.Test;

/** Whatever refuses a request below the filter, the client reads est4j's one text/plain line. */
class ErrorReplyFilterTest {

    private final ErrorReplyFilter filter = new ErrorReplyFilter();
    private final AtomicReference<HttpServletRequest> seen = new AtomicReference<>();

    private Servlets.Response run(Servlets.Request request, FilterChain below) throws Exception {
        Servlets.Response response = new Servlets.Response();
        filter.doFilter(request.servlet(), response.servlet(), below);
        return response;
    }

    private FilterChain recording() {
        return (req, res) -> seen.set((HttpServletRequest) req);
    }

    @Test
    void aMalformedContentTypeIsRefusedBeforeJaxrs() throws Exception {
        Servlets.Response r = run(new Servlets.Request().header("Content-Type", "application/"), recording());
        assertNull(seen.get(), "never passed on");
        assertEquals(400, r.status);
        assertEquals(EstMediaTypes.TEXT_PLAIN_UTF8, r.contentType);
        assertEquals("400 the Content-Type header is not a media type (RFC 9110 section 8.3): 'application/'\n", r.text());
    }

    @Test
    void aRequestTargetThatIsNoUriIsRefused() {
        assertTrue(ErrorReplyFilter.isUriReference("/.well-known/est/l.a_b~c-1/simpleenroll", false));
        assertTrue(ErrorReplyFilter.isUriReference("/.well-known/est/caCerts%20x", false));
        assertTrue(ErrorReplyFilter.isUriReference("a=b&c=/d?e", true));
        for (String bad : new String[] {"/.well-known/est/sim[ple", "/.well-known/est/a b", "/.well-known/est/a\\b", "/x%zz", "/x%4",
                "/x\u00e9", "/x\"y", "/x<y>", "/x{y}", "/x|y", "/x^y", "/x`y", "/x?y", "/%D\u06f4" /* found by fuzzing */}) {
            assertFalse(ErrorReplyFilter.isUriReference(bad, false), bad);
        }
        assertFalse(ErrorReplyFilter.isUriReference(null, false));
    }

    @Test
    void twoContentTypesAreRefused() throws Exception {
        Servlets.Response r = run(new Servlets.Request().header("Content-Type", "application/pkcs10").header("Content-Type", "text/plain"),
                recording());
        assertNull(seen.get());
        assertEquals("400 the request has 2 Content-Type header fields; one is allowed\n", r.text());
    }

    @Test
    void anOverlongContentTypeIsQuotedOnlyInPart() throws Exception {
        Servlets.Response r = run(new Servlets.Request().header("Content-Type", "application/" + "z".repeat(7000)), recording());
        assertEquals(400, r.status);
        assertTrue(r.text().length() < 200, r.text());
        assertTrue(r.text().endsWith("...(+6948 chars)'\n"), r.text());
    }

    @Test
    void aMalformedAcceptIsDroppedAndTheRequestGoesOn() throws Exception {
        Servlets.Response r = run(new Servlets.Request().header("Accept", "x/y;q=zz").header("Content-Type", "application/pkcs10"),
                recording());
        assertEquals(200, r.status);
        assertNull(seen.get().getHeader("Accept"));
        assertFalse(seen.get().getHeaders("accept").hasMoreElements());
        assertEquals("application/pkcs10", seen.get().getHeader("Content-Type"));
    }

    @Test
    void aWellFormedAcceptIsKept() throws Exception {
        run(new Servlets.Request().header("Accept", "text/plain, */*;q=0.1"), recording());
        assertEquals("text/plain, */*;q=0.1", seen.get().getHeader("Accept"));
    }

    @Test
    void sendErrorFromBelowBecomesEstsLineWithoutTheContainersMessage() throws Exception {
        Servlets.Response r = run(new Servlets.Request(),
                (req, res) -> ((HttpServletResponse) res).sendError(400, "Bad header: <script>Authorization: Basic ZXN0Og=="));
        assertEquals(400, r.status);
        assertEquals(EstMediaTypes.TEXT_PLAIN_UTF8, r.contentType);
        assertEquals("400 bad request\n", r.text());
        assertTrue(r.committed);
    }

    @Test
    void aBareErrorStatusGetsItsLine() throws Exception {
        Servlets.Response r = run(new Servlets.Request(), (req, res) -> {
            ((HttpServletResponse) res).setHeader("Allow", "GET,OPTIONS");
            ((HttpServletResponse) res).setStatus(405);
        });
        assertEquals("405 method not allowed for this EST resource (allowed: GET,OPTIONS)\n", r.text());
    }

    @Test
    void theChallengeStaysEmpty() throws Exception {
        Servlets.Response r = run(new Servlets.Request(), (req, res) -> {
            ((HttpServletResponse) res).setHeader("WWW-Authenticate", "Basic realm=\"est4j\"");
            ((HttpServletResponse) res).sendError(401);
        });
        assertEquals(401, r.status);
        assertEquals("", r.text());
        assertEquals(EstMediaTypes.TEXT_PLAIN_UTF8, r.contentType);
        assertEquals("0", r.header("Content-Length"));
    }

    @Test
    void anEscapingExceptionIsAGeneric500WithARequestId() throws Exception {
        Servlets.Response r = run(new Servlets.Request(), (req, res) -> {
            throw new IllegalStateException("secret CA internals at db01.example.internal");
        });
        assertEquals(500, r.status);
        assertTrue(r.text().matches("500 internal server error \\(request id [0-9a-f]{12}\\)\n"), r.text());
    }

    @Test
    void aReplyWithABodyIsLeftAlone() throws Exception {
        Servlets.Response r = run(new Servlets.Request(), (req, res) -> EstReply.text(403, "no", java.util.Map.of())
                .writeTo((HttpServletResponse) res));
        assertEquals("403 no\n", r.text());
    }
}
