package org.est4j.jaxrs.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;

import org.est4j.jaxrs.ErrorReplies;
import org.est4j.jaxrs.Servlets;
import org.est4j.spi.CaException;
import org.est4j.spi.CaOperationNotSupportedException;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.EnrollmentForbiddenException;
import org.junit.jupiter.api.Test;

/**
 * A CA failure is counted once, for the operation of the path it happened on, whichever resource turned it into a
 * reply: the RFC 7030 operations, RFC 8295's and Full CMC all go through {@link ErrorReplies} or mark the request.
 */
class RequestEventsFilterTest {

    private final List<String> events = new ArrayList<>();
    private final RequestEventsFilter filter = new RequestEventsFilter(new EstEvents() {
        @Override
        public void backendError(Backend backend, String operation) {
            events.add("backend " + backend + " " + operation);
        }

        @Override
        public void requestCompleted(String operation, Optional<String> label, int status, long durationNanos) {
            events.add("completed " + operation + " " + label.orElse("-") + " " + status);
        }
    });

    /** Serves {@code pathInfo} with a resource that fails with {@code failure}, mapped as the exception mapper does. */
    private void serve(String pathInfo, CaException failure) throws Exception {
        Servlets.Request request = new Servlets.Request();
        request.pathInfo = pathInfo;
        Servlets.Response response = new Servlets.Response();
        FilterChain resource = (req, res) -> ErrorReplies.of(failure).writeTo((HttpServletResponse) res);
        filter.doFilter(request.servlet(), response.servlet(), resource);
    }

    @Test
    void anUnavailableCaOnAnRfc8295PathIsABackendErrorOfThatOperation() throws Exception {
        serve("/lab1/firmware", new CaUnavailableException("the token is away", java.time.Duration.ofSeconds(10), null));
        assertEquals(List.of("backend CA firmware", "completed firmware lab1 503"), events);
    }

    @Test
    void aFailingCaOnCrlsIsABackendError() throws Exception {
        serve("/crls", new CaException("disk full"));
        assertEquals(List.of("backend CA crls", "completed crls - 500"), events);
    }

    @Test
    void anUpstreamCasUnacceptableAnswerIsABackendError() throws Exception {
        serve("/cmp1/simpleenroll", new org.est4j.spi.CaUpstreamException("the upstream certified another key"));
        assertEquals(List.of("backend CA simpleenroll", "completed simpleenroll cmp1 502"), events);
    }

    @Test
    void refusalsAndUnofferedOperationsAreNoBackendErrors() throws Exception {
        serve("/simpleenroll", new EnrollmentForbiddenException("not yours"));
        serve("/eecerts", new CaOperationNotSupportedException("no end-entity certificates here"));
        assertEquals(List.of("completed simpleenroll - 403", "completed eecerts - 501"), events);
    }

    @Test
    void theMarkDiesWithTheRequest() throws Exception {
        serve("/cacerts", new CaException("broken"));
        events.clear();
        // the next request on the same (pooled) thread starts clean
        serve("/cacerts", new EnrollmentForbiddenException("no"));
        assertEquals(List.of("completed cacerts - 403"), events);
    }
}
