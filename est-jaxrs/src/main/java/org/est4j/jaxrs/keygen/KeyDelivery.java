package org.est4j.jaxrs.keygen;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import javax.crypto.SecretKey;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKEKRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import org.est4j.jaxrs.EstMediaTypes;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.codec.BouncyCastle;
import org.est4j.jaxrs.codec.PackageOids;
import org.est4j.jaxrs.codec.ResponseSigner;

/**
 * How the private key of {@code /serverkeygen} travels back (RFC 7030 section 4.4.1 and 4.4.2):
 * as a plain PKCS#8 PrivateKeyInfo inside TLS, or — when the request names a decryption key — as
 * {@code application/pkcs7-mime; smime-type=server-generated-key}: the key package (RFC 5958
 * AsymmetricKeyPackage) in a CMS EnvelopedData for that key, inside a SignedData by the server.
 *
 * <p>The choice is made from the request before any key is generated, so an unknown key
 * identifier costs no key pair and no certificate.
 */
public abstract sealed class KeyDelivery {

    /** {@code id-aa-decryptKeyID} (RFC 7030 section 4.4.1.1). */
    static final ASN1ObjectIdentifier DECRYPT_KEY_ID = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.37");
    /** {@code id-aa-asymmDecryptKeyID} (RFC 7030 section 4.4.1.2). */
    static final ASN1ObjectIdentifier ASYMM_DECRYPT_KEY_ID = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.54");

    private KeyDelivery() {
    }

    /** The media type of the key part. */
    public abstract String contentType();

    /** The PEM type of the key part, for draft-02's PEM-armoured dialect. */
    public abstract String pemType();

    /** The DER of the key part. */
    public abstract byte[] encode(PrivateKey key);

    /**
     * Decides from the request's attributes. The client's validated TLS chain is a candidate recipient
     * for asymmetric encryption, next to the configured certificates.
     *
     * @throws EstProtocolException 400 when the request names a key the server does not have, or both kinds
     */
    public static KeyDelivery forRequest(PKCS10CertificationRequest csr, List<X509Certificate> clientChain,
                                         KeyEncryptionKeys keys, Optional<ResponseSigner> signer) {
        Optional<byte[]> symmetricId = octets(csr, DECRYPT_KEY_ID, "DecryptKeyIdentifier");
        Optional<byte[]> asymmetricId = octets(csr, ASYMM_DECRYPT_KEY_ID, "AsymmetricDecryptKeyIdentifier");
        if (symmetricId.isEmpty() && asymmetricId.isEmpty()) {
            return new Plain();
        }
        if (symmetricId.isPresent() && asymmetricId.isPresent()) {
            throw EstProtocolException.badRequest("the request names both a DecryptKeyIdentifier and an "
                    + "AsymmetricDecryptKeyIdentifier; name one key to encrypt the private key with");
        }
        ResponseSigner s = signer.orElseThrow(() -> EstProtocolException.badRequest(
                "this server has no signing key configured, so it cannot return an encrypted private key; "
                        + "request the key without a decryption key identifier"));
        return new Encrypted(recipient(symmetricId, asymmetricId, clientChain, keys), s);
    }

    /**
     * The recipient the request names for an encrypted private key — the same one {@link #forRequest} encrypts for
     * — without demanding a response signer (RFC 6032 key packages may go unsigned). Empty when the request names
     * no decryption key.
     *
     * @throws EstProtocolException 400 when the request names a key the server does not have, or both kinds
     */
    public static Optional<RecipientInfoGenerator> recipientForRequest(PKCS10CertificationRequest csr, List<X509Certificate> clientChain,
                                                                       KeyEncryptionKeys keys) {
        Optional<byte[]> symmetricId = octets(csr, DECRYPT_KEY_ID, "DecryptKeyIdentifier");
        Optional<byte[]> asymmetricId = octets(csr, ASYMM_DECRYPT_KEY_ID, "AsymmetricDecryptKeyIdentifier");
        if (symmetricId.isEmpty() && asymmetricId.isEmpty()) {
            return Optional.empty();
        }
        if (symmetricId.isPresent() && asymmetricId.isPresent()) {
            throw EstProtocolException.badRequest("the request names both a DecryptKeyIdentifier and an "
                    + "AsymmetricDecryptKeyIdentifier; name one key to encrypt the private key with");
        }
        return Optional.of(recipient(symmetricId, asymmetricId, clientChain, keys));
    }

    /** The key one of the two identifiers names: a shared AES key, or the TLS client or a configured certificate. */
    private static RecipientInfoGenerator recipient(Optional<byte[]> symmetricId, Optional<byte[]> asymmetricId,
                                                    List<X509Certificate> clientChain, KeyEncryptionKeys keys) {
        if (symmetricId.isPresent()) {
            byte[] id = symmetricId.get();
            SecretKey key = keys.symmetric(id).orElseThrow(() -> EstProtocolException.badRequest(
                    "the DecryptKeyIdentifier names no key this server shares with the client"));
            return new JceKEKRecipientInfoGenerator(id, key).setProvider(BouncyCastle.PROVIDER);
        }
        byte[] ski = asymmetricId.orElseThrow();
        List<X509Certificate> candidates = new ArrayList<>(clientChain.isEmpty() ? List.of() : List.of(clientChain.get(0)));
        candidates.addAll(keys.recipients());
        X509Certificate recipient = candidates.stream().filter(c -> Arrays.equals(ski, subjectKeyIdentifier(c))).findFirst()
                .orElseThrow(() -> EstProtocolException.badRequest("the AsymmetricDecryptKeyIdentifier matches neither the "
                        + "TLS client certificate nor a key-encipherment certificate configured on this server"));
        return recipientFor(recipient);
    }

    /**
     * The RFC 5958 AsymmetricKeyPackage holding {@code key}, in an EnvelopedData for {@code recipient}
     * (AES-256-CBC content encryption): the DER of the EnvelopedData itself, not of a ContentInfo.
     */
    static EnvelopedData envelope(PrivateKey key, RecipientInfoGenerator recipient) {
        try {
            byte[] keyPackage = new DERSequence(PrivateKeyInfo.getInstance(pkcs8(key))).getEncoded("DER");
            CMSEnvelopedDataGenerator generator = new CMSEnvelopedDataGenerator();
            generator.addRecipientInfoGenerator(recipient);
            CMSEnvelopedData enveloped = generator.generate(new CMSProcessableByteArray(PackageOids.ASYMMETRIC_KEY_PACKAGE, keyPackage),
                    new JceCMSContentEncryptorBuilder(CMSAlgorithm.AES256_CBC).setProvider(BouncyCastle.PROVIDER).build());
            return EnvelopedData.getInstance(enveloped.toASN1Structure().getContent());
        } catch (IOException | CMSException e) {
            throw new IllegalStateException("cannot encrypt the generated key: " + e.getMessage(), e);
        }
    }

    /**
     * A recipient for the key of {@code recipient}: ephemeral-static ECDH for an EC key, RSA (PKCS#1 v1.5) key transport for RSA
     * (also used by {@code packages.SymmetricKeyProtection}).
     *
     * @throws EstProtocolException 400 for a key that can receive nothing
     */
    public static RecipientInfoGenerator recipientFor(X509Certificate recipient) {
        try {
            if (recipient.getPublicKey() instanceof ECPublicKey ec) {
                // ECDH needs an ephemeral key on the recipient's curve (RFC 5753 ephemeral-static).
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
                generator.initialize(ec.getParams());
                KeyPair ephemeral = generator.generateKeyPair();
                return new JceKeyAgreeRecipientInfoGenerator(CMSAlgorithm.ECDH_SHA256KDF, ephemeral.getPrivate(),
                        ephemeral.getPublic(), CMSAlgorithm.AES256_WRAP).addRecipient(recipient).setProvider(BouncyCastle.PROVIDER);
            }
            if ("RSA".equals(recipient.getPublicKey().getAlgorithm())) {
                return new JceKeyTransRecipientInfoGenerator(recipient).setProvider(BouncyCastle.PROVIDER);
            }
        } catch (GeneralSecurityException e) {
            throw EstProtocolException.badRequest("the key-encipherment certificate cannot be used: " + e.getMessage());
        }
        throw EstProtocolException.badRequest("the key-encipherment certificate has a " + recipient.getPublicKey().getAlgorithm()
                + " key; RSA and EC keys can receive an encrypted private key");
    }

    static byte[] subjectKeyIdentifier(X509Certificate c) {
        byte[] ext = c.getExtensionValue("2.5.29.14");
        if (ext != null) {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        }
        try {
            return new JcaX509ExtensionUtils().createSubjectKeyIdentifier(c.getPublicKey()).getKeyIdentifier();
        } catch (GeneralSecurityException e) {
            return new byte[0];
        }
    }

    private static Optional<byte[]> octets(PKCS10CertificationRequest csr, ASN1ObjectIdentifier type, String name) {
        Attribute[] attributes = csr.getAttributes(type);
        if (attributes.length == 0) {
            return Optional.empty();
        }
        if (attributes.length > 1 || attributes[0].getAttrValues().size() != 1) {
            throw EstProtocolException.badRequest("the request carries more than one " + name);
        }
        ASN1Encodable value = attributes[0].getAttrValues().getObjectAt(0);
        if (!(value instanceof ASN1OctetString octets) || octets.getOctets().length == 0) {
            throw EstProtocolException.badRequest("the request's " + name + " is not a non-empty OCTET STRING");
        }
        return Optional.of(octets.getOctets());
    }

    /** PKCS#8 inside TLS (RFC 7030 section 4.4.2, {@code application/pkcs8}). */
    static final class Plain extends KeyDelivery {
        @Override
        public String contentType() {
            return EstMediaTypes.PKCS8;
        }

        @Override
        public String pemType() {
            return "PRIVATE KEY";
        }

        @Override
        public byte[] encode(PrivateKey key) {
            return pkcs8(key);
        }
    }

    /** SignedData over EnvelopedData over the key package (RFC 7030 section 4.4.2). */
    static final class Encrypted extends KeyDelivery {
        private final RecipientInfoGenerator recipient;
        private final ResponseSigner signer;

        Encrypted(RecipientInfoGenerator recipient, ResponseSigner signer) {
            this.recipient = recipient;
            this.signer = signer;
        }

        @Override
        public String contentType() {
            return EstMediaTypes.SERVER_GENERATED_KEY;
        }

        @Override
        public String pemType() {
            return "PKCS7";
        }

        @Override
        public byte[] encode(PrivateKey key) {
            try {
                byte[] envelopedData = envelope(key, recipient).getEncoded("DER");
                return signer.sign(CMSObjectIdentifiers.envelopedData, envelopedData, List.of());
            } catch (IOException e) {
                throw new IllegalStateException("cannot encrypt the generated key: " + e.getMessage(), e);
            }
        }
    }

    private static byte[] pkcs8(PrivateKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalStateException("the CA returned a private key that cannot be exported as PKCS#8");
        }
        return encoded;
    }
}
