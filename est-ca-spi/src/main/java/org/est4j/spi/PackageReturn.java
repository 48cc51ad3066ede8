package org.est4j.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client posted to a {@code /return} path (RFC 8295): a receipt, a response or confirm, or an error for
 * one package. est4j has decoded it, verified its signature, checked that the signer is the authenticated
 * client, and matched the package it names with one of {@link PackageService#packages} for this client (or, for
 * {@link PackageKind} empty, with a key est4j generated for it on {@code /serverkeygen}).
 *
 * @param label     the CA label from the request path, empty for the default
 * @param client    the client as est4j authenticated it
 * @param kind      the kind of package acknowledged; empty for a server-generated key ({@code /serverkeygen/return})
 * @param packageId the {@link DistributedPackage#id()} acknowledged, or for a server-generated key the
 *                  certificate serial number in hexadecimal
 * @param outcome   whether the client took the package
 * @param detail    a short text for logs and records: the error code the client reported, or the receipt type
 * @param message   the DER CMS message as posted, to keep as evidence
 * @param received  when est4j received it
 */
public record PackageReturn(Optional<String> label, AuthenticatedClient client, Optional<PackageKind> kind,
                            String packageId, Outcome outcome, String detail, byte[] message, Instant received) {

    /** Whether the client reports success. */
    public enum Outcome {
        /** A receipt, a TAMP response or confirm: the package was taken. */
        ACCEPTED,
        /** An error report: the client could not use the package. */
        FAILED
    }

    public PackageReturn {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(packageId, "packageId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        message = message.clone();
        Objects.requireNonNull(received, "received");
    }

    @Override
    public byte[] message() {
        return message.clone();
    }
}
