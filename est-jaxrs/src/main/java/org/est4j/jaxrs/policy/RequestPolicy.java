package org.est4j.jaxrs.policy;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.est4j.jaxrs.ClientText;
import org.est4j.spi.CertificateExtension;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrRejectedException;

/**
 * What a CA accepts in a certification request, checked before it signs anything: the key, the signature that
 * proves possession, the names, and the critical extensions. Every refusal is a {@link CsrRejectedException}
 * (HTTP 400) whose reason begins with the rule's name ({@code keys}, {@code signature}, {@code names},
 * {@code subject}, {@code extensions}), so a client's operator sees what to change.
 *
 * <p>The defaults are what a public-trust audit expects: RSA 2048 to 8192 bits, EC P-256, P-384 and P-521,
 * Ed25519 and Ed448 (CA/Browser Forum Baseline Requirements 6.1.5); no MD5 or SHA-1 signatures; names within
 * RFC 5280's upper bounds (Appendix A.1: CN 64 characters, ...; 256 for attributes it does not bound),
 * without control characters or empty values; DNS names in LDH syntax or IDNA A-labels (RFC 5890); an empty
 * subject only beside a subjectAltName (RFC 5280 section 4.2.1.6, the CA then marks it critical); no critical
 * extension the CA does not know.
 *
 * <p>The local CA applies it per CA ({@code ca.<name>.allowed-keys}, {@code ca.<name>.allowed-signature-digests});
 * a CaService of your own may call {@link #check} too. Malformed requests (not DER, a version other than v1)
 * never get this far: {@link org.est4j.jaxrs.codec.CsrDecoder} refuses them.
 *
 * @param keys             the key types and sizes accepted
 * @param signatureDigests the digests accepted in the request's signature ({@code SHA-256}, ...); EdDSA, whose
 *                         digest is part of the algorithm, is accepted with an accepted Ed25519/Ed448 key
 */
public record RequestPolicy(List<KeyRule> keys, Set<String> signatureDigests) {

    /** One accepted key type: RSA with a modulus length range, an EC named curve, or an EdDSA curve. */
    public record KeyRule(String type, int minBits, int maxBits) {

        /** Parses {@code RSA-2048-8192}, {@code RSA-3072}, {@code EC-P256}, {@code EC-P384}, {@code EC-P521}, {@code Ed25519}, {@code Ed448}. */
        public static KeyRule parse(String value) {
            String v = value.strip();
            String upper = v.toUpperCase(Locale.ROOT);
            try {
                if (upper.startsWith("RSA-")) {
                    String[] bits = upper.substring(4).split("-");
                    int min = Integer.parseInt(bits[0]);
                    int max = bits.length > 1 ? Integer.parseInt(bits[1]) : min;
                    if (bits.length > 2 || min < 512 || max < min || max > 16384) {
                        throw new IllegalArgumentException();
                    }
                    return new KeyRule("RSA", min, max);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + v + "': RSA-<bits> or RSA-<min>-<max>, 512 to 16384 bits");
            }
            return switch (upper) {
                case "EC-P256", "EC-P384", "EC-P521" -> new KeyRule(upper.replace("EC-P", "P-"), 0, 0);
                case "ED25519" -> new KeyRule("Ed25519", 0, 0);
                case "ED448" -> new KeyRule("Ed448", 0, 0);
                default -> throw new IllegalArgumentException("'" + v + "': expected RSA-<min>-<max>, EC-P256, EC-P384, EC-P521, Ed25519 or Ed448");
            };
        }

        boolean accepts(String keyType, int bits) {
            return type.equals(keyType) && (!type.equals("RSA") || bits >= minBits && bits <= maxBits);
        }

        @Override
        public String toString() {
            return type.equals("RSA") ? "RSA " + minBits + (maxBits != minBits ? "-" + maxBits : "") + " bits" : type;
        }
    }

    /** The digests a signature may use, by name as the configuration spells them. */
    public static final Set<String> KNOWN_DIGESTS = Set.of("SHA-224", "SHA-256", "SHA-384", "SHA-512", "SHA3-224", "SHA3-256",
            "SHA3-384", "SHA3-512", "SHA-1", "MD5");

    /** The defaults described above. */
    public static final RequestPolicy DEFAULTS = new RequestPolicy(
            List.of(KeyRule.parse("RSA-2048-8192"), KeyRule.parse("EC-P256"), KeyRule.parse("EC-P384"), KeyRule.parse("EC-P521"),
                    KeyRule.parse("Ed25519"), KeyRule.parse("Ed448")),
            new LinkedHashSet<>(List.of("SHA-256", "SHA-384", "SHA-512", "SHA3-256", "SHA3-384", "SHA3-512")));

    public RequestPolicy {
        keys = List.copyOf(keys);
        signatureDigests = Set.copyOf(signatureDigests);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key type must be allowed");
        }
        for (String d : signatureDigests) {
            if (!KNOWN_DIGESTS.contains(d)) {
                throw new IllegalArgumentException("'" + d + "': expected digests among " + String.join(", ", new java.util.TreeSet<>(KNOWN_DIGESTS)));
            }
        }
    }

    /** Parses a comma-separated list of {@link KeyRule}s. */
    public static List<KeyRule> parseKeys(String list) {
        List<KeyRule> rules = new ArrayList<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                rules.add(KeyRule.parse(item));
            }
        }
        return rules;
    }

    /** Parses a comma-separated list of digest names ({@code SHA-256, SHA-384}). */
    public static Set<String> parseDigests(String list) {
        Set<String> digests = new LinkedHashSet<>();
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                digests.add(item.strip().toUpperCase(Locale.ROOT));
            }
        }
        return digests;
    }

    /**
     * Checks {@code request} against every rule.
     *
     * @throws CsrRejectedException naming the first rule it breaks
     */
    public void check(CertificationRequest request) throws CsrRejectedException {
        checkKey(request.publicKey());
        // The signature rule is about the signature that proves possession: a request for a key the server
        // generates carries the client's template, whose key and signature RFC 7030 section 4.4.1 has ignored.
        if (request.format() == CertificationRequest.Format.PKCS10) {
            PKCS10CertificationRequest pkcs10 = parse(request);
            if (pkcs10.getSubjectPublicKeyInfo().equals(SubjectPublicKeyInfo.getInstance(request.publicKey().getEncoded()))) {
                checkSignature(pkcs10.getSignatureAlgorithm());
            }
        }
        checkSubject(request);
        checkAltNames(request);
        for (CertificateExtension extension : request.requestedExtensions()) {
            if (extension.critical() && !KNOWN_EXTENSIONS.containsKey(extension.oid())) {
                throw refused("extensions", "the request asks for the critical extension " + ClientText.quote(extension.oid(), 64)
                        + ", which this CA does not know (RFC 5280 section 4.2)");
            }
        }
    }

    // --- keys

    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, "P-256", SECObjectIdentifiers.secp384r1, "P-384", SECObjectIdentifiers.secp521r1, "P-521");

    /** Names of key types no rule can allow, for the refusal. */
    private static final Map<ASN1ObjectIdentifier, String> OTHER_KEY_TYPES = Map.of(
            X9ObjectIdentifiers.id_dsa, "DSA", X9ObjectIdentifiers.dhpublicnumber, "DH", PKCSObjectIdentifiers.dhKeyAgreement, "DH",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS", EdECObjectIdentifiers.id_X25519, "X25519",
            EdECObjectIdentifiers.id_X448, "X448");

    /** Checks that a rule allows the key's type and size. */
    private void checkKey(PublicKey key) throws CsrRejectedException {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        } catch (RuntimeException e) {
            throw refused("keys", "the public key cannot be read");
        }
        ASN1ObjectIdentifier alg = info.getAlgorithm().getAlgorithm();
        String type;
        int bits = 0;
        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            type = "RSA";
            bits = key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 0;
        } else if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            ASN1Encodable params = info.getAlgorithm().getParameters();
            type = params instanceof ASN1ObjectIdentifier curve ? CURVES.get(curve) : null;
            if (type == null) {
                throw refused("keys", "the EC key is on " + (params instanceof ASN1ObjectIdentifier curve
                        ? "curve " + curveName(curve) : "a curve given by explicit parameters") + "; allowed: " + allowedKeys());
            }
        } else if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
            type = "Ed25519";
        } else if (alg.equals(EdECObjectIdentifiers.id_Ed448)) {
            type = "Ed448";
        } else {
            throw refused("keys", "a " + OTHER_KEY_TYPES.getOrDefault(alg, alg.getId()) + " key is not allowed; allowed: " + allowedKeys());
        }
        for (KeyRule rule : keys) {
            if (rule.accepts(type, bits)) {
                return;
            }
        }
        throw refused("keys", (type.equals("RSA") ? "an RSA key of " + bits + " bits" : "a " + type + " key") + " is not allowed; allowed: "
                + allowedKeys());
    }

    private String allowedKeys() {
        return String.join(", ", keys.stream().map(KeyRule::toString).toList());
    }

    private static String curveName(ASN1ObjectIdentifier curve) {
        String name = org.bouncycastle.asn1.x9.ECNamedCurveTable.getName(curve);
        return name != null ? name : curve.getId();
    }

    // --- the signature

    /** The request's PKCS#10 structure (parsed once for the signature rule; est4j decoded the same bytes before). */
    private static PKCS10CertificationRequest parse(CertificationRequest request) throws CsrRejectedException {
        try {
            return new PKCS10CertificationRequest(request.der());
        } catch (java.io.IOException | RuntimeException e) {
            throw refused("signature", "the request's signature algorithm cannot be read");
        }
    }

    private static final Map<ASN1ObjectIdentifier, String> SIGNATURE_DIGESTS = Map.ofEntries(
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA1, "SHA-1"),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA224, "SHA-224"),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA256, "SHA-256"),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA384, "SHA-384"),
            Map.entry(X9ObjectIdentifiers.ecdsa_with_SHA512, "SHA-512"),
            Map.entry(NISTObjectIdentifiers.id_ecdsa_with_sha3_256, "SHA3-256"),
            Map.entry(NISTObjectIdentifiers.id_ecdsa_with_sha3_384, "SHA3-384"),
            Map.entry(NISTObjectIdentifiers.id_ecdsa_with_sha3_512, "SHA3-512"),
            Map.entry(PKCSObjectIdentifiers.md5WithRSAEncryption, "MD5"),
            Map.entry(PKCSObjectIdentifiers.sha1WithRSAEncryption, "SHA-1"),
            Map.entry(PKCSObjectIdentifiers.sha224WithRSAEncryption, "SHA-224"),
            Map.entry(PKCSObjectIdentifiers.sha256WithRSAEncryption, "SHA-256"),
            Map.entry(PKCSObjectIdentifiers.sha384WithRSAEncryption, "SHA-384"),
            Map.entry(PKCSObjectIdentifiers.sha512WithRSAEncryption, "SHA-512"),
            Map.entry(NISTObjectIdentifiers.id_rsassa_pkcs1_v1_5_with_sha3_256, "SHA3-256"),
            Map.entry(NISTObjectIdentifiers.id_rsassa_pkcs1_v1_5_with_sha3_384, "SHA3-384"),
            Map.entry(NISTObjectIdentifiers.id_rsassa_pkcs1_v1_5_with_sha3_512, "SHA3-512"));

    private static final Map<ASN1ObjectIdentifier, String> DIGESTS = Map.of(
            NISTObjectIdentifiers.id_sha224, "SHA-224", NISTObjectIdentifiers.id_sha256, "SHA-256",
            NISTObjectIdentifiers.id_sha384, "SHA-384", NISTObjectIdentifiers.id_sha512, "SHA-512",
            NISTObjectIdentifiers.id_sha3_256, "SHA3-256", NISTObjectIdentifiers.id_sha3_384, "SHA3-384",
            NISTObjectIdentifiers.id_sha3_512, "SHA3-512", org.bouncycastle.asn1.oiw.OIWObjectIdentifiers.idSHA1, "SHA-1");

    private static final Set<String> BROKEN_DIGESTS = Set.of("MD5", "SHA-1");

    private void checkSignature(AlgorithmIdentifier algorithm) throws CsrRejectedException {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (oid.equals(EdECObjectIdentifiers.id_Ed25519) || oid.equals(EdECObjectIdentifiers.id_Ed448)) {
            return; // EdDSA: the key rule already decided
        }
        String digest = SIGNATURE_DIGESTS.get(oid);
        if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            try {
                digest = DIGESTS.get(RSASSAPSSparams.getInstance(algorithm.getParameters()).getHashAlgorithm().getAlgorithm());
            } catch (RuntimeException e) {
                digest = null;
            }
        }
        if (digest == null || !signatureDigests.contains(digest)) {
            throw refused("signature", "the request is signed with " + algorithmName(algorithm)
                    + (BROKEN_DIGESTS.contains(String.valueOf(digest)) ? ": MD5 and SHA-1 signatures are broken" : "")
                    + "; allowed digests: " + String.join(", ", new java.util.TreeSet<>(signatureDigests)));
        }
    }

    private static String algorithmName(AlgorithmIdentifier algorithm) {
        String name = new DefaultAlgorithmNameFinder().getAlgorithmName(algorithm);
        return name == null || name.isEmpty() ? algorithm.getAlgorithm().getId() : name;
    }

    // --- names

    /** RFC 5280 Appendix A.1 upper bounds, in characters; C is exactly 2. */
    private static final Map<ASN1ObjectIdentifier, Integer> UPPER_BOUNDS = Map.ofEntries(
            Map.entry(BCStyle.CN, 64), Map.entry(BCStyle.O, 64), Map.entry(BCStyle.OU, 64), Map.entry(BCStyle.L, 128),
            Map.entry(BCStyle.ST, 128), Map.entry(BCStyle.SERIALNUMBER, 64), Map.entry(BCStyle.T, 64),
            Map.entry(BCStyle.EmailAddress, 255), Map.entry(BCStyle.PSEUDONYM, 128), Map.entry(BCStyle.POSTAL_CODE, 40),
            Map.entry(BCStyle.GIVENNAME, 32768), Map.entry(BCStyle.SURNAME, 32768), Map.entry(BCStyle.INITIALS, 32768),
            Map.entry(BCStyle.GENERATION, 32768), Map.entry(BCStyle.NAME, 32768), Map.entry(BCStyle.DC, 63),
            Map.entry(BCStyle.UID, 256), Map.entry(BCStyle.DN_QUALIFIER, 64));
    private static final int OTHER_ATTRIBUTE_BOUND = 256;

    private static void checkSubject(CertificationRequest request) throws CsrRejectedException {
        X500Name subject = X500Name.getInstance(request.subject().getEncoded());
        if (subject.getRDNs().length == 0 && request.subjectAltNames().isEmpty()) {
            throw refused("subject", "the subject is empty and there is no subjectAltName: a certificate must name someone"
                    + " (RFC 5280 section 4.2.1.6)");
        }
        checkName(subject, "the subject");
    }

    private static void checkName(X500Name name, String what) throws CsrRejectedException {
        for (RDN rdn : name.getRDNs()) {
            if (rdn.size() == 0) {
                throw refused("names", what + " has an empty relative distinguished name");
            }
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String attribute = attributeName(atv.getType());
                if (!(atv.getValue() instanceof ASN1String s)) {
                    throw refused("names", what + "'s " + attribute + " is not a string");
                }
                String value = s.getString();
                checkText(value, what + "'s " + attribute);
                int bound = UPPER_BOUNDS.getOrDefault(atv.getType(), OTHER_ATTRIBUTE_BOUND);
                if (atv.getType().equals(BCStyle.C) && value.codePointCount(0, value.length()) != 2) {
                    throw refused("names", what + "'s C must be a two-letter country code (RFC 5280 Appendix A.1)");
                }
                if (value.codePointCount(0, value.length()) > bound) {
                    throw refused("names", what + "'s " + attribute + " is " + value.codePointCount(0, value.length())
                            + " characters long; RFC 5280 allows " + bound);
                }
            }
        }
    }

    private static String attributeName(ASN1ObjectIdentifier type) {
        String name = BCStyle.INSTANCE.oidToDisplayName(type);
        return name != null ? name : type.getId();
    }

    /** Non-empty and without control characters (NUL, C0, DEL, C1). */
    private static void checkText(String value, String what) throws CsrRejectedException {
        if (value.isEmpty()) {
            throw refused("names", what + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                throw refused("names", what + " contains the control character " + String.format("U+%04X", (int) c));
            }
        }
    }

    /** The requested subjectAltName, read from the extension itself (names are checked as the client encoded them). */
    private static void checkAltNames(CertificationRequest request) throws CsrRejectedException {
        java.util.Optional<CertificateExtension> san = request.requestedExtension(SUBJECT_ALT_NAME);
        if (san.isEmpty()) {
            return;
        }
        GeneralName[] names;
        try {
            names = GeneralNames.getInstance(san.get().value()).getNames();
        } catch (RuntimeException e) {
            throw refused("names", "the subjectAltName extension is malformed");
        }
        for (GeneralName name : names) {
            switch (name.getTagNo()) {
                case GeneralName.dNSName -> checkDnsName(string(name), "the subjectAltName dNSName");
                case GeneralName.rfc822Name -> checkMailbox(string(name));
                case GeneralName.uniformResourceIdentifier -> checkUri(string(name));
                case GeneralName.directoryName -> checkName(X500Name.getInstance(name.getName()), "the subjectAltName directoryName");
                default -> { } // IP addresses are checked when decoded; registeredID and otherName are opaque here
            }
        }
    }

    private static String string(GeneralName name) throws CsrRejectedException {
        if (name.getName() instanceof ASN1String s) {
            return s.getString();
        }
        throw refused("names", "a subjectAltName entry is not a string");
    }

    private static void checkMailbox(String value) throws CsrRejectedException {
        checkText(value, "the subjectAltName rfc822Name");
        int at = value.lastIndexOf('@');
        if (at <= 0 || value.indexOf('@') != at || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw refused("names", "the subjectAltName rfc822Name '" + ClientText.quote(value, ClientText.REPLY_LIMIT)
                    + "' is not an ASCII mailbox local-part@domain (RFC 5280 section 4.2.1.6)");
        }
        checkDnsName(value.substring(at + 1), "the domain of the subjectAltName rfc822Name");
    }

    private static void checkUri(String value) throws CsrRejectedException {
        checkText(value, "the subjectAltName URI");
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getRawSchemeSpecificPart() == null || uri.getRawSchemeSpecificPart().isEmpty()) {
                throw new URISyntaxException(value, "relative");
            }
        } catch (URISyntaxException e) {
            throw refused("names", "the subjectAltName URI '" + ClientText.quote(value, ClientText.REPLY_LIMIT)
                    + "' is not an absolute URI (RFC 5280 section 4.2.1.6)");
        }
    }

    private static final Pattern LDH_LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    /**
     * LDH labels (RFC 1034 section 3.5, RFC 5890 section 2.3.1), each at most 63 octets, at most 253 in all; a label
     * with hyphens in positions 3 and 4 must be a valid IDNA A-label ({@code xn--}); a wildcard only as the whole
     * leftmost label.
     */
    static void checkDnsName(String name, String what) throws CsrRejectedException {
        checkText(name, what);
        String quoted = "'" + ClientText.quote(name, ClientText.REPLY_LIMIT) + "'";
        if (name.length() > 253) {
            throw refused("names", what + " " + quoted + " is longer than 253 characters");
        }
        String[] labels = name.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String label = labels[i];
            if (i == 0 && label.equals("*") && labels.length > 2) {
                continue;
            }
            if (!LDH_LABEL.matcher(label).matches()) {
                throw refused("names", what + " " + quoted + " is not a DNS name of letters, digits and hyphens"
                        + " (internationalized names as xn-- A-labels, RFC 5890)");
            }
            if (label.length() >= 4 && label.charAt(2) == '-' && label.charAt(3) == '-' && !isALabel(label)) {
                throw refused("names", what + " " + quoted + " has the label '" + ClientText.quote(label, ClientText.REPLY_LIMIT)
                        + "', which is not a valid IDNA A-label (RFC 5890 section 2.3.2.1)");
            }
        }
    }

    private static boolean isALabel(String label) {
        if (!label.toLowerCase(Locale.ROOT).startsWith("xn--")) {
            return false;
        }
        try {
            String unicode = IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES);
            return !unicode.equalsIgnoreCase(label) && IDN.toASCII(unicode, IDN.USE_STD3_ASCII_RULES).equalsIgnoreCase(label);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // --- extensions

    private static final String SUBJECT_ALT_NAME = "2.5.29.17";

    /** Extensions a request may mark critical: the CA knows what they mean (it decides their content itself). */
    private static final Map<String, String> KNOWN_EXTENSIONS = Map.of(
            "2.5.29.17", "subjectAltName", "2.5.29.15", "keyUsage", "2.5.29.37", "extendedKeyUsage",
            "2.5.29.19", "basicConstraints", "2.5.29.14", "subjectKeyIdentifier");

    private static CsrRejectedException refused(String rule, String reason) {
        return new CsrRejectedException("refused by the request policy (" + rule + "): " + reason);
    }

    @Override
    public String toString() {
        return "keys " + keys + ", signature digests " + new java.util.TreeSet<>(signatureDigests);
    }
}
