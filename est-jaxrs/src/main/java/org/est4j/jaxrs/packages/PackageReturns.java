package org.est4j.jaxrs.packages;

import java.io.InputStream;
import java.util.Optional;

import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageService;

/** Skeleton: the {@code /return} paths of RFC 8295 (filled in by the package work). */
public final class PackageReturns {

    public PackageReturns(PackageService packages, EstEndpointConfig config) {
    }

    public EstReply accept(Optional<String> label, HttpRequestInfo http, InputStream body, Optional<PackageKind> kind) {
        throw new EstProtocolException(501, "not implemented yet");
    }
}
