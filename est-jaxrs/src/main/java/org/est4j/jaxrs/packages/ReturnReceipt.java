package org.est4j.jaxrs.packages;

import java.util.Objects;

import org.est4j.spi.PackageReturn;

/**
 * A message posted to a {@code /return} path, decoded: which package it is about and what the client says of it.
 *
 * @param type      the RFC name of the message, such as {@code FirmwarePackageLoadReceipt}
 * @param reference what names the package in it
 * @param outcome   whether the client took the package
 * @param detail    the message type, and for a failure the error or status code the client reported
 */
record ReturnReceipt(String type, PackageReferences.Reference reference, PackageReturn.Outcome outcome, String detail) {

    ReturnReceipt {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }
}
