package org.est4j.jaxrs.packages;

import java.util.List;
import java.util.Optional;

import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.spi.CaService;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageRequest;
import org.est4j.spi.PackageReturn;
import org.est4j.spi.PackageService;

/** Skeleton: {@code /pal} and the package GETs of RFC 8295 (filled in by the package work). */
public final class PackageDistribution {

    /** A package service with nothing to hand out. */
    public static final PackageService NONE = new PackageService() {
        @Override
        public List<DistributedPackage> packages(PackageRequest request) {
            return List.of();
        }

        @Override
        public void recordReturn(PackageReturn returned) {
            throw new IllegalStateException("no package service");
        }
    };

    public PackageDistribution(CaService ca, PackageService packages, EstEndpointConfig config) {
    }

    public EstReply pal(Optional<String> label, HttpRequestInfo http) {
        throw new EstProtocolException(501, "not implemented yet");
    }

    public EstReply packages(Optional<String> label, HttpRequestInfo http, PackageKind kind) {
        throw new EstProtocolException(501, "not implemented yet");
    }
}
