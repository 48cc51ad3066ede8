package org.est4j.war.packages;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageReturn;

/**
 * What clients posted to a {@code /return} path (RFC 8295), each recorded durably before the client is told it was
 * received, and the memory of which packages each client accepted: {@code packages/returns.log} ({@link ReturnLog}) or a
 * table of a shared database.
 */
public interface ReturnRecords {

    /** Whether this client acknowledged this package with {@code ACCEPTED}. */
    boolean accepted(Optional<String> label, String clientKey, PackageKind kind, String packageId) throws IOException;

    /** Records one return durably. */
    void record(PackageReturn returned, Optional<String> clientKey) throws IOException;

    /** The records in {@code file} ({@code EST_HOME/packages/returns.log}). */
    static ReturnRecords inFile(Path file) throws IOException {
        return new ReturnLog(file);
    }
}
