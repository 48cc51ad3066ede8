package org.est4j.war.packages;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;

import org.est4j.spi.CaException;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageRequest;
import org.est4j.spi.PackageReturn;
import org.est4j.spi.PackageService;
import org.est4j.spi.UnknownLabelException;
import org.est4j.war.Est4jRuntime;

/**
 * est4j's default {@link PackageService}: serves the files under {@code EST_HOME/packages} and keeps what clients
 * return in {@code EST_HOME/packages/returns.log}.
 *
 * <pre>
 * EST_HOME/packages/
 *   default/            packages for requests without a label
 *   &lt;label&gt;/            packages for /.well-known/est/&lt;label&gt;/...
 *     eecerts/          *.pem *.crt *.der   certificates for every client of the label
 *     symmetrickeys/    *.der   RFC 6031 SymmetricKeyPackage, unprotected
 *     firmware/         *.der   RFC 4108 firmware package (SignedData of id-ct-firmwarePackage)
 *     tamp/             *.der   RFC 5934 TAMP message (SignedData of a TAMP content type)
 *     clients/&lt;client&gt;/eecerts|symmetrickeys|firmware|tamp/   the same, for one client only
 *   returns.log         every receipt, response and error posted to a /return path
 * </pre>
 * {@code <client>} is the client's certificate subject commonName or its HTTP user name. A package's id is its
 * file name; a client's own file wins over a label-wide file of the same name. Firmware signed with
 * {@code targetHardwareIDs} goes only to clients whose certificate names such hardware ({@link FirmwareTargets}).
 *
 * <p>To serve packages from elsewhere, deploy a {@code PackageService} bean annotated
 * {@code @Alternative @Priority(100)}: a globally enabled alternative replaces this bean.
 */
@ApplicationScoped
public class FilePackageService implements PackageService {

    static final String DIRECTORY = "packages";
    static final String RETURNS_LOG = "returns.log";

    @Inject
    Est4jRuntime runtime;

    private volatile Store store;

    /** The store and its log of one data directory, and which labels exist. */
    record Store(PackageStore files, ReturnRecords returns, Predicate<Optional<String>> knownLabel) {
    }

    /** For CDI. */
    public FilePackageService() {
    }

    /** A service on {@code estHome} without CDI (tests, tools). */
    FilePackageService(Path estHome, Predicate<Optional<String>> knownLabel) throws IOException {
        this.store = new Store(new PackageStore(estHome.resolve(DIRECTORY)), new ReturnLog(estHome.resolve(DIRECTORY).resolve(RETURNS_LOG)),
                knownLabel);
    }

    /** Opened on first use, not at deployment: a deployment that distributes nothing never reads returns.log. */
    private Store store() throws CaException {
        Store s = store;
        if (s == null) {
            synchronized (this) {
                s = store;
                if (s == null) {
                    try {
                        s = new Store(new PackageStore(runtime.directory().resolve(DIRECTORY)), runtime.store().packageReturns(),
                                runtime::knowsLabel);
                    } catch (IOException e) {
                        throw new CaUnavailableException("the package store cannot read its returns right now", Est4jRuntime.RETRY_AFTER, e);
                    }
                    store = s;
                }
            }
        }
        return s;
    }

    @Override
    public List<DistributedPackage> packages(PackageRequest request) throws CaException {
        Store s = store();
        Optional<Path> labelDirectory = labelDirectory(s, request.label());
        if (labelDirectory.isEmpty()) {
            return List.of();
        }
        Optional<String> clientKey = Clients.key(request.client());
        Set<ASN1ObjectIdentifier> hardware = Clients.hardwareTypes(request.client());
        List<DistributedPackage> packages = new ArrayList<>();
        try {
            for (PackageStore.Found found : s.files().packages(labelDirectory.get(), Clients.directoryNames(request.client()),
                    request.kind())) {
                if (request.kind() == PackageKind.FIRMWARE && !FirmwareTargets.selects(found.targetHardware(), hardware)) {
                    continue;
                }
                if (clientKey.isPresent() && s.returns().accepted(request.label(), clientKey.get(), request.kind(), found.id())) {
                    continue;
                }
                packages.add(found.toPackage(request.kind()));
            }
        } catch (IOException e) {
            throw new CaUnavailableException("the package store cannot read its returns right now", Est4jRuntime.RETRY_AFTER, e);
        }
        return packages;
    }

    @Override
    public boolean exists(Optional<String> label, PackageKind kind, String packageId) throws CaException {
        Store s = store();
        Optional<Path> labelDirectory = labelDirectory(s, label);
        return labelDirectory.isPresent() && s.files().exists(labelDirectory.get(), kind, packageId);
    }

    @Override
    public void recordReturn(PackageReturn returned) throws CaException {
        Store s = store();
        labelDirectory(s, returned.label());
        try {
            s.returns().record(returned, Clients.key(returned.client()));
        } catch (IOException e) {
            throw new CaUnavailableException("the package store cannot record the return right now", Est4jRuntime.RETRY_AFTER, e);
        }
    }

    /** The label's directory; empty for a label that cannot be a directory name. */
    private static Optional<Path> labelDirectory(Store s, Optional<String> label) throws UnknownLabelException {
        if (!s.knownLabel().test(label)) {
            throw new UnknownLabelException(label.orElse(""));
        }
        return s.files().labelDirectory(label);
    }
}
