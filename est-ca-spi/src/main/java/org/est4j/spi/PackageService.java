package org.est4j.spi;

import java.util.List;
import java.util.Optional;

/**
 * Hands out the packages of RFC 8295 (peer certificates, symmetric keys, firmware, TAMP messages) and keeps
 * what clients report back about them. Optional, and separate from {@link CaService}: a CA integration that
 * distributes nothing ignores it.
 *
 * <p><b>How est4j finds it.</b> Like {@code CaService}: the WAR ships a default bean that serves files from
 * {@code EST_HOME/packages} (see README); a jar in {@code WEB-INF/lib} with a class annotated
 * {@code @ApplicationScoped @Alternative @Priority(100)} replaces it.
 *
 * <p><b>What est4j does around it.</b> It authenticates the client, lists the packages in the client's package
 * availability list ({@code /pal}), encodes and protects them on the wire (symmetric keys are signed and
 * encrypted for the client), and decodes and verifies everything posted to {@code /return} before
 * {@link #recordReturn} sees it.
 *
 * <p><b>Threads.</b> Methods are called concurrently from the container's request threads.
 */
public interface PackageService {

    /**
     * The packages of {@link PackageRequest#kind()} available and authorized for this client now, oldest first.
     * Leave out what the client has already acknowledged with {@link PackageReturn.Outcome#ACCEPTED}: a
     * package taken is no longer listed in the client's {@code /pal}. An empty list is answered with HTTP 204.
     */
    List<DistributedPackage> packages(PackageRequest request) throws CaException;

    /**
     * Whether {@code packageId} names a package of this kind and label for any client. est4j asks when a client
     * acknowledges a package that {@link #packages} did not give it, to tell "not yours" (403) from "no such
     * package" (404). The default says no.
     */
    default boolean exists(Optional<String> label, PackageKind kind, String packageId) throws CaException {
        return false;
    }

    /**
     * Keeps what a client posted to {@code /return}. Return only once it is stored durably: the client is told
     * it was received, and an acknowledged package must not come back after a restart.
     */
    void recordReturn(PackageReturn returned) throws CaException;
}
