package org.est4j.jaxrs.events;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.policy.Labels;

/**
 * Times every EST request and reports it to the deployment's {@link EstEvents} with its operation, label and
 * status; gives the request its {@link RequestContext} (id, peer address) for the decisions taken while it is
 * served. Declared in {@code web.xml} before the other EST filters, so that {@code /cacerts}, answered by a filter,
 * is timed too.
 */
public class RequestEventsFilter implements Filter {

    /** The operation path segments counted by name; any other path is {@code other}. */
    static final Set<String> OPERATIONS = Stream.concat(Labels.RFC7030_OPERATIONS.stream(),
                    Stream.of("pal", "eecerts", "crls", "symmetrickeys", "firmware", "tamp", "symmetrickeys/return",
                            "firmware/return", "tamp/return", "serverkeygen/return"))
            .collect(Collectors.toUnmodifiableSet());

    private volatile EstEvents events;

    /** The filter {@code web.xml} declares: it finds the deployment's listener through CDI. */
    public RequestEventsFilter() {
    }

    /** A filter reporting to {@code events}, for tests of the filter alone. */
    RequestEventsFilter(EstEvents events) {
        this.events = events;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        EstEvents listener = events();
        if (listener == EstEvents.NONE || !(request instanceof HttpServletRequest http)
                || !(response instanceof HttpServletResponse reply)) {
            chain.doFilter(request, response);
            return;
        }
        RequestContext context = RequestContext.start(http.getRemoteAddr(), http.getHeader("X-Forwarded-For"));
        RequestContext.set(context);
        int status = 500; // what the client gets when the chain throws (the error-reply filter above answers)
        try {
            chain.doFilter(request, response);
            status = reply.getStatus();
        } finally {
            RequestContext.clear();
            Path path = Path.of(http.getPathInfo());
            if (context.wasCaFailure()) {
                listener.backendError(EstEvents.Backend.CA, path.operation());
            }
            listener.requestCompleted(path.operation(), path.label(), status, System.nanoTime() - context.startNanos());
        }
    }

    /** The deployment's listener, once CDI has started; {@link EstEvents#NONE} until then. */
    private EstEvents events() {
        EstEvents known = events;
        if (known != null) {
            return known;
        }
        try {
            known = CDI.current().select(EstEndpointConfig.class).get().events();
        } catch (RuntimeException e) {
            return EstEvents.NONE; // no CDI container (yet): asked again on the next request
        }
        events = known;
        return known;
    }

    /**
     * The operation and label of a path below {@code /.well-known/est}: {@code /<op>} or {@code /<label>/<op>}, the
     * operation in any case (draft-02 clients capitalise it).
     */
    record Path(String operation, Optional<String> label) {

        static Path of(String pathInfo) {
            String path = pathInfo == null ? "" : pathInfo.startsWith("/") ? pathInfo.substring(1) : pathInfo;
            String lower = path.toLowerCase(Locale.ROOT);
            if (OPERATIONS.contains(lower)) {
                return new Path(lower, Optional.empty());
            }
            int slash = path.indexOf('/');
            if (slash > 0 && OPERATIONS.contains(lower.substring(slash + 1))) {
                return new Path(lower.substring(slash + 1), Optional.of(path.substring(0, slash)));
            }
            return new Path("other", Optional.empty());
        }
    }
}
