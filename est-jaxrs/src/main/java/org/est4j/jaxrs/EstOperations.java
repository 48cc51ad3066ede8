package org.est4j.jaxrs;

import java.io.InputStream;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import org.est4j.spi.CaException;
import org.est4j.spi.PackageKind;

/**
 * The EST operations of RFC 7030 and RFC 8295 for one CA label, or for none: {@link EstResource} serves them
 * at {@code /.well-known/est/<op>} and hands out one of these per labelled request
 * ({@code /.well-known/est/<label>/<op>}), so each operation is written once. Each method only adapts HTTP to
 * the handler that does the work.
 *
 * <p>No {@code @Consumes}/{@code @Produces}: the handlers check the request media type themselves so the
 * refusal is a precise 415, and clients that send an unusual {@code Accept} (such as {@code text/plain})
 * still get their certificates.
 */
public class EstOperations {

    private final Optional<String> label;
    private final EstResource root;

    /** For {@link EstResource}, which is the label-less instance. */
    EstOperations() {
        this.label = Optional.empty();
        this.root = null;
    }

    EstOperations(Optional<String> label, EstResource root) {
        this.label = label;
        this.root = root;
    }

    /** The resource whose handlers this instance uses: itself for the label-less one. */
    EstResource root() {
        return root;
    }

    // ---- RFC 7030 ----

    @GET
    @Path("cacerts")
    public Response caCertificates(@Context HttpServletRequest request) throws CaException {
        return toResponse(root().handler().caCertificates(label, request.getRemoteAddr()));
    }

    @GET
    @Path("csrattrs")
    public Response csrAttributes(@Context HttpServletRequest request) throws CaException {
        return toResponse(root().handler().csrAttributes(label, HttpRequestInfo.from(request)));
    }

    @POST
    @Path("simpleenroll")
    public Response enroll(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(root().handler().enroll(label, HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("simplereenroll")
    public Response reenroll(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(root().handler().reenroll(label, HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("serverkeygen")
    public Response serverKeyGen(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(root().handler().serverKeyGen(label, HttpRequestInfo.from(request), body));
    }

    @POST
    @Path("fullcmc")
    public Response fullCmc(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(root().handler().fullCmc(label, HttpRequestInfo.from(request), body));
    }

    // ---- RFC 8295 ----

    @GET
    @Path("pal")
    public Response packageAvailabilityList(@Context HttpServletRequest request) throws CaException {
        return toResponse(root().distribution().pal(label, HttpRequestInfo.from(request)));
    }

    @GET
    @Path("crls")
    public Response crls(@Context HttpServletRequest request) throws CaException {
        return toResponse(root().crlDistribution().crls(label, HttpRequestInfo.from(request)));
    }

    @GET
    @Path("eecerts")
    public Response endEntityCertificates(@Context HttpServletRequest request) throws CaException {
        return toResponse(root().distribution().packages(label, HttpRequestInfo.from(request), PackageKind.EE_CERTIFICATES));
    }

    @GET
    @Path("symmetrickeys")
    public Response symmetricKeys(@Context HttpServletRequest request) throws CaException {
        return toResponse(root().distribution().packages(label, HttpRequestInfo.from(request), PackageKind.SYMMETRIC_KEYS));
    }

    @GET
    @Path("firmware")
    public Response firmware(@Context HttpServletRequest request) throws CaException {
        return toResponse(root().distribution().packages(label, HttpRequestInfo.from(request), PackageKind.FIRMWARE));
    }

    @GET
    @Path("tamp")
    public Response tamp(@Context HttpServletRequest request) throws CaException {
        return toResponse(root().distribution().packages(label, HttpRequestInfo.from(request), PackageKind.TAMP));
    }

    @POST
    @Path("symmetrickeys/return")
    public Response symmetricKeyReturn(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(root().returns().accept(label, HttpRequestInfo.from(request), body, Optional.of(PackageKind.SYMMETRIC_KEYS)));
    }

    @POST
    @Path("firmware/return")
    public Response firmwareReturn(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(root().returns().accept(label, HttpRequestInfo.from(request), body, Optional.of(PackageKind.FIRMWARE)));
    }

    @POST
    @Path("tamp/return")
    public Response tampReturn(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(root().returns().accept(label, HttpRequestInfo.from(request), body, Optional.of(PackageKind.TAMP)));
    }

    @POST
    @Path("serverkeygen/return")
    public Response serverKeyGenReturn(@Context HttpServletRequest request, InputStream body) throws CaException {
        return toResponse(root().returns().accept(label, HttpRequestInfo.from(request), body, Optional.empty()));
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
