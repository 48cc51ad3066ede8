package org.est4j.war.localca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.est4j.war.SecureFiles;

/**
 * The {@link CrlArchive} of a CA whose records are files: {@code ca/<name>/crl.der}, written atomically and fsync'd.
 * Only the instance holding the CA's issuance log writes it, so a number is never taken by someone else.
 */
final class CrlFile implements CrlArchive {

    private final Path file;

    CrlFile(Path file) {
        this.file = file;
    }

    @Override
    public Optional<byte[]> latest() throws IOException {
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    @Override
    public boolean publish(BigInteger number, byte[] der) throws IOException {
        SecureFiles.write(file, der, SecureFiles.READABLE);
        return true;
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
