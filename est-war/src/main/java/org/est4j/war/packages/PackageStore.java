package org.est4j.war.packages;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

import org.est4j.jaxrs.ClientText;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;

/**
 * The package files under {@code EST_HOME/packages}: {@code <label or default>/<kind>/} for every client of the
 * label, {@code <label or default>/clients/<client>/<kind>/} for one client.
 *
 * <p>Directories are listed on every request, so a file dropped in is served on the next one without a restart.
 * A file is parsed again only when its size or modification time changed: that keeps the request cheap, and a bad
 * file is warned about once (per change), not on every request.
 */
final class PackageStore {

    private static final System.Logger LOG = System.getLogger(PackageStore.class.getName());

    /** Bigger files are skipped: a package is a few KB to a few MB; more is a mistake or an attack on memory. */
    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    /** The directory of requests without a label. */
    static final String DEFAULT_DIRECTORY = "default";
    static final String CLIENTS = "clients";

    /** One package as found on disk. */
    record Found(String id, byte[] der, Set<ASN1ObjectIdentifier> targetHardware, java.nio.file.attribute.FileTime modified,
                 String fileName) {

        DistributedPackage toPackage(PackageKind kind) {
            return new DistributedPackage(id, kind, der);
        }
    }

    /** A file's packages as parsed, valid while the file has this size and modification time. */
    private record Cached(long size, java.nio.file.attribute.FileTime modified, List<Found> packages) {
    }

    private final Path root;
    // directory -> file -> what it held; a directory's entry goes when the directory is empty or gone
    private final Map<Path, Map<Path, Cached>> cache = new ConcurrentHashMap<>();

    PackageStore(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** The directory of a label, or empty when the label cannot be a directory name (then it has no packages). */
    Optional<Path> labelDirectory(Optional<String> label) {
        String name = label.orElse(DEFAULT_DIRECTORY);
        return isSafeSegment(name) ? Optional.of(root.resolve(name)) : Optional.empty();
    }

    /**
     * The packages of {@code kind} for one client of a label: the label-wide ones and those in the client's own
     * directories ({@code clientDirectories}, most specific last). On a clash of ids the later directory wins.
     * Oldest first (modification time, then id).
     */
    List<Found> packages(Path labelDirectory, List<String> clientDirectories, PackageKind kind) {
        Map<String, Found> byId = new LinkedHashMap<>();
        for (Found found : read(labelDirectory.resolve(kind.path()), kind)) {
            byId.put(found.id(), found);
        }
        for (String client : clientDirectories) {
            if (!isSafeSegment(client)) {
                continue; // a name like "../x" must never lead out of clients/; such a client has no own directory
            }
            for (Found found : read(labelDirectory.resolve(CLIENTS).resolve(client).resolve(kind.path()), kind)) {
                byId.put(found.id(), found);
            }
        }
        List<Found> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(Found::modified).thenComparing(Found::id));
        return all;
    }

    /** Whether the label-wide directory or any client's directory of this label has a package with this id. */
    boolean exists(Path labelDirectory, PackageKind kind, String id) {
        if (read(labelDirectory.resolve(kind.path()), kind).stream().anyMatch(f -> f.id().equals(id))) {
            return true;
        }
        for (Path client : subdirectories(labelDirectory.resolve(CLIENTS))) {
            if (read(client.resolve(kind.path()), kind).stream().anyMatch(f -> f.id().equals(id))) {
                return true;
            }
        }
        return false;
    }

    /** The packages of every valid file in one directory; none when it does not exist. */
    private List<Found> read(Path directory, PackageKind kind) {
        List<Path> candidates = files(directory).stream()
                .filter(file -> PackageParser.isCandidate(kind, file.getFileName().toString())).toList();
        if (candidates.isEmpty()) {
            cache.remove(directory);
            return List.of();
        }
        Map<Path, Cached> known = cache.computeIfAbsent(directory, d -> new ConcurrentHashMap<>());
        List<Found> found = new ArrayList<>();
        for (Path file : candidates) {
            found.addAll(packagesOf(file, kind, known));
        }
        // forget removed files, so the cache does not outlive them
        known.keySet().retainAll(new HashSet<>(candidates));
        return found;
    }

    private List<Found> packagesOf(Path file, PackageKind kind, Map<Path, Cached> known) {
        String name = file.getFileName().toString();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return List.of(); // removed while we looked
        }
        if (!attributes.isRegularFile()) {
            return List.of();
        }
        Cached cached = known.get(file);
        if (cached != null && cached.size() == attributes.size() && cached.modified().equals(attributes.lastModifiedTime())) {
            return cached.packages();
        }
        List<Found> packages = List.of();
        if (attributes.size() > MAX_FILE_BYTES) {
            LOG.log(Level.WARNING, "package file {0} skipped: {1} bytes, more than the {2} a package may have",
                    ClientText.quote(file.toString()),
                    Long.toString(attributes.size()), Long.toString(MAX_FILE_BYTES)); // as strings: no "16,777,217"
        } else {
            try {
                byte[] content = Files.readAllBytes(file);
                List<Found> parsed = new ArrayList<>();
                for (PackageParser.Parsed p : PackageParser.parse(kind, name, content)) {
                    parsed.add(new Found(p.id(), p.der(), p.targetHardware(), attributes.lastModifiedTime(), name));
                }
                packages = List.copyOf(parsed);
            } catch (PackageParser.InvalidPackageException e) {
                LOG.log(Level.WARNING, "package file {0} skipped: {1}", ClientText.quote(file.toString()),
                        ClientText.quote(e.getMessage()));
            } catch (RuntimeException e) {
                // a decoder surprise on an operator's file must cost that file, never the client's request (no 5xx)
                LOG.log(Level.WARNING, "package file {0} skipped: it does not decode ({1})", ClientText.quote(file.toString()),
                        ClientText.quote(String.valueOf(e)));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "package file {0} skipped: cannot read it ({1})", ClientText.quote(file.toString()),
                        ClientText.quote(String.valueOf(e.getMessage())));
                return List.of(); // not cached: a file being copied in may be readable on the next request
            }
        }
        known.put(file, new Cached(attributes.size(), attributes.lastModifiedTime(), packages));
        return packages;
    }

    private static List<Path> files(Path directory) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            entries.forEach(files::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "package directory {0} cannot be listed: {1}", ClientText.quote(directory.toString()),
                    ClientText.quote(String.valueOf(e.getMessage())));
            return List.of();
        }
        return files;
    }

    private static List<Path> subdirectories(Path directory) {
        return files(directory).stream()
                .filter(p -> isSafeSegment(p.getFileName().toString()) && Files.isDirectory(p))
                .toList();
    }

    /**
     * Whether {@code name} can stand for exactly one directory below another: not empty, not {@code .} or
     * {@code ..}, no separator, no control character, not hidden. A client name that fails this has no directory.
     */
    static boolean isSafeSegment(String name) {
        if (name == null || name.isEmpty() || name.length() > 255 || name.startsWith(".")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f || c == ':') {
                return false;
            }
        }
        return true;
    }
}
