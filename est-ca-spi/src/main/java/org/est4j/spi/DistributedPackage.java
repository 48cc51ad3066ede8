package org.est4j.spi;

import java.util.Objects;

/**
 * One package a {@link PackageService} makes available to a client.
 *
 * @param id      a name for it, unique among the packages of its kind and label and stable across restarts
 *                (a file name, a database key): acknowledgements ({@link PackageReturn#packageId()}) refer to
 *                it, and it is what {@code /pal} and the logs show
 * @param kind    what it is, which decides the path that serves it
 * @param content the DER bytes described for each {@link PackageKind}; copied, never shared
 */
public record DistributedPackage(String id, PackageKind kind, byte[] content) {

    public DistributedPackage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** Equal when id and kind are: the content of one package does not change under its name. */
    @Override
    public boolean equals(Object o) {
        return o instanceof DistributedPackage p && p.id.equals(id) && p.kind == kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, kind);
    }

    @Override
    public String toString() {
        return kind.path() + "/" + id + " (" + content.length + " bytes)";
    }
}
