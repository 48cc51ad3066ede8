package org.est4j.jaxrs;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Routes every failure, ours and the JAX-RS runtime's, through {@link ErrorReplies}. */
@Provider
public class EstExceptionMapper implements ExceptionMapper<Throwable> {

    @Override
    public Response toResponse(Throwable failure) {
        return EstOperations.toResponse(ErrorReplies.of(failure));
    }
}
