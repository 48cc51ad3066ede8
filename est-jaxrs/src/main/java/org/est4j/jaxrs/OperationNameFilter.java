package org.est4j.jaxrs;

import java.net.URI;
import java.util.Locale;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;

import org.est4j.jaxrs.policy.Labels;

/**
 * Accepts the operation names of draft-ietf-pkix-est-02 ({@code /CACerts}, {@code /simpleEnroll},
 * {@code /simpleReEnroll}, {@code /fullCMC}, {@code /serverKeyGen}, {@code /CSRAttrs}) and any other
 * capitalisation, which older devices still send: the last path segment is matched case-insensitively
 * against RFC 7030's names and rewritten to them before resource matching. Labels keep their case.
 */
@Provider
@PreMatching
public class OperationNameFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath(false);
        int slash = path.lastIndexOf('/');
        String last = path.substring(slash + 1);
        String lower = last.toLowerCase(Locale.ROOT);
        if (!last.equals(lower) && Labels.RFC7030_OPERATIONS.contains(lower)) {
            URI uri = request.getUriInfo().getRequestUri();
            String rawPath = uri.getRawPath();
            URI rewritten = UriBuilder.fromUri(uri).replacePath(rawPath.substring(0, rawPath.length() - last.length()) + lower).build();
            request.setRequestUri(request.getUriInfo().getBaseUri(), rewritten);
        }
    }
}
