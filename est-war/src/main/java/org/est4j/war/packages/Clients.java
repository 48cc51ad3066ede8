package org.est4j.war.packages;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

import org.est4j.spi.AuthenticatedClient;

/**
 * Who a client is, for the package store: the key its acknowledgements are kept under, the names of its own
 * package directories, and its hardware. An anonymous client (or one whose authentication was incomplete) is
 * nobody in particular: it has no key and no directory, so it sees only what is for every client.
 */
final class Clients {

    private Clients() {
    }

    /**
     * The stable key of an authenticated client: its TLS certificate subject DN (RFC 2253) when it has a
     * certificate, else {@code user:<name>}. Stable across requests and certificate renewals with the same subject.
     */
    static Optional<String> key(AuthenticatedClient client) {
        if (!client.isAuthenticated()) {
            return Optional.empty();
        }
        Optional<X509Certificate> certificate = client.certificate();
        if (certificate.isPresent()) {
            return Optional.of(certificate.get().getSubjectX500Principal().getName());
        }
        return client.username().map(name -> "user:" + name);
    }

    /**
     * The names of the client's own directories under {@code clients/}: its HTTP user name, then its certificate's
     * subject commonName(s). Later ones win a clash of package ids, so the certificate's directory does.
     */
    static List<String> directoryNames(AuthenticatedClient client) {
        if (!client.isAuthenticated()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        client.username().ifPresent(names::add);
        client.certificate().ifPresent(c -> names.addAll(commonNames(c)));
        return names;
    }

    /** The hardware types the client's certificate names (hardwareModuleName); none without a certificate. */
    static Set<ASN1ObjectIdentifier> hardwareTypes(AuthenticatedClient client) {
        return client.isAuthenticated() ? client.certificate().map(FirmwareTargets::hardwareTypes).orElse(Set.of()) : Set.of();
    }

    private static List<String> commonNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(value.getType()) && value.getValue() instanceof ASN1String text) {
                    names.add(text.getString());
                }
            }
        }
        return names;
    }
}
