package org.est4j.jaxrs;

import java.io.InputStream;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import org.est4j.jaxrs.policy.Labels;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;

/**
 * The EST operations under {@code /.well-known/est} (RFC 7030 section 3.2.2), with and without a
 * CA label. Each method only adapts HTTP to {@link EnrollmentHandler}.
 *
 * <p>No {@code @Consumes}/{@code @Produces}: the handler checks the request media type itself so the
 * refusal is a precise 415, and clients that send an unusual {@code Accept} (such as
 * {@code text/plain}) still get their certificates.
 */
@Path("")
@ApplicationScoped
public class EstResource {

    @Inject
    CaService ca;

    @Inject
    EstEndpointConfig config;

    private EnrollmentHandler handler;

    @PostConstruct
    void init() {
        handler = new EnrollmentHandler(ca, config);
    }

    /** For {@link CaCertificatesFilter}, which serves {@code /cacerts} with the same handler. */
    EnrollmentHandler handler() {
        return handler;
    }

    @GET
    @Path("cacerts")
    public Response caCertificates(@Context HttpServletRequest request) throws CaException {
        return toResponse(handler.caCertificates(Optional.empty(), request.getRemoteAddr()));
    }

    @GET
    @Path("{label}/cacerts")
    public Response caCertificates(@PathParam("label") String label, @Context HttpServletRequest request) throws CaException {
        return toResponse(handler.caCertificates(Labels.require(label), request.getRemoteAddr()));
    }

    @GET
    @Path("csrattrs")
    public Response csrAttributes(@Context HttpServletRequest request) throws CaException {
        return toResponse(handler.csrAttributes(Optional.empty(), HttpRequestInfo.from(request)));
    }

    @GET
    @Path("{label}/csrattrs")
    public Response csrAttributes(@PathParam("label") String label, @Context HttpServletRequest request) throws CaException {
        return toResponse(handler.csrAttributes(Labels.require(label), HttpRequestInfo.from(request)));
    }

    @POST
    @Path("simpleenroll")
    public Response enroll(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(handler.enroll(Optional.empty(), HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("{label}/simpleenroll")
    public Response enroll(@PathParam("label") String label, @Context HttpServletRequest request, InputStream body)
            throws CaException {
        return toResponse(handler.enroll(Labels.require(label), HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("simplereenroll")
    public Response reenroll(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(handler.reenroll(Optional.empty(), HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("{label}/simplereenroll")
    public Response reenroll(@PathParam("label") String label, @Context HttpServletRequest request, InputStream body)
            throws CaException {
        return toResponse(handler.reenroll(Labels.require(label), HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("serverkeygen")
    public Response serverKeyGen(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(handler.serverKeyGen(Optional.empty(), HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("{label}/serverkeygen")
    public Response serverKeyGen(@PathParam("label") String label, @Context HttpServletRequest request, InputStream body)
            throws CaException {
        return toResponse(handler.serverKeyGen(Labels.require(label), HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("fullcmc")
    public Response fullCmc(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(handler.fullCmc(Optional.empty(), HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("{label}/fullcmc")
    public Response fullCmc(@PathParam("label") String label, @Context HttpServletRequest request, InputStream body)
            throws CaException {
        return toResponse(handler.fullCmc(Labels.require(label), HttpRequestInfo.from(request), body));
    }

    /** Sends the reply's headers as the exact strings it holds (see {@link EstMediaTypes}). */
    static Response toResponse(EstReply reply) {
        // No entity for an empty body: JAX-RS would label even zero bytes application/octet-stream.
        Response.ResponseBuilder builder = Response.status(reply.status()).entity(reply.body().length == 0 ? null : reply.body());
        // a value with line breaks is several fields of that name (WWW-Authenticate with more than one challenge)
        reply.headers().forEach((name, value) -> {
            for (String one : value.split("\n")) {
                builder.header(name, one);
            }
        });
        return builder.build();
    }
}
