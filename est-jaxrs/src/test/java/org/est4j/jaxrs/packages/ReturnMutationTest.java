package org.est4j.jaxrs.packages;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.cms.CMSSignedData;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.TestPki;
import org.est4j.spi.DistributedPackage;
import org.est4j.spi.PackageKind;
import org.junit.jupiter.api.Test;

/**
 * Mutated messages (flipped, dropped, inserted octets, cut short) through every decoding step a client's bytes
 * reach: the only way out is a reply or a 400/403 {@link EstProtocolException}, never another exception (which
 * would be a 500). Mutated packages from the store never throw either. Fixed seeds: a failure repeats.
 */
class ReturnMutationTest {

    private static final KeyPair KEY = TestPki.ecKey();
    private static final X509Certificate CERT = TestPki.selfSigned("CN=mutant", KEY);
    private static final ASN1Sequence REF = ReturnMessages.tampMsgRef("urn:m", 3);
    private static final int ROUNDS = 1500;

    private record Sample(Optional<PackageKind> kind, byte[] message) {
    }

    private static List<Sample> samples() {
        return List.of(
                new Sample(Optional.of(PackageKind.SYMMETRIC_KEYS), ReturnMessages.keyPackageReceipt(new byte[] {1, 2}, KEY.getPrivate(), CERT)),
                new Sample(Optional.empty(), ReturnMessages.keyPackageError(new byte[] {1, 2}, 11, KEY.getPrivate(), CERT)),
                new Sample(Optional.of(PackageKind.FIRMWARE), ReturnMessages.firmwareLoadReceipt(
                        ReturnMessages.preferredFirmwareName("1.2.3.4", 1), KEY.getPrivate(), CERT)),
                new Sample(Optional.of(PackageKind.FIRMWARE), ReturnMessages.firmwareLoadError(
                        ReturnMessages.legacyFirmwareName("x"), 3, KEY.getPrivate(), CERT)),
                new Sample(Optional.of(PackageKind.TAMP), ReturnMessages.tampStatusResponse(REF, KEY.getPrivate(), CERT)),
                new Sample(Optional.of(PackageKind.TAMP), ReturnMessages.tampUpdateConfirm(REF, List.of(0, 5), KEY.getPrivate(), CERT)),
                new Sample(Optional.of(PackageKind.TAMP), ReturnMessages.tampCommunityUpdateConfirm(REF, 0, KEY.getPrivate(), CERT)),
                new Sample(Optional.of(PackageKind.TAMP), ReturnMessages.seqNumberAdjustConfirm(REF, 0, KEY.getPrivate(), CERT)),
                new Sample(Optional.of(PackageKind.TAMP), ReturnMessages.tampError(ReturnMessages.TAMP_UPDATE, 1, REF, KEY.getPrivate(), CERT)));
    }

    @Test
    void mutatedContentIsDecodedOrRefusedWith400() throws Exception {
        Random random = new Random(8295);
        for (Sample sample : samples()) {
            CMSSignedData signed = new CMSSignedData(sample.message());
            ASN1ObjectIdentifier type = signed.getSignedContentType();
            byte[] content = (byte[]) signed.getSignedContent().getContent();
            for (int i = 0; i < ROUNDS; i++) {
                byte[] mutated = mutate(content, random);
                try {
                    ReceiptDecoder.decode(sample.kind(), type, mutated).reference().describe(); // describe: what a 404 says
                } catch (EstProtocolException e) {
                    assertTrue(e.status() == 400, () -> e.status() + " " + e.getMessage());
                } catch (RuntimeException e) {
                    fail(type + " content " + java.util.HexFormat.of().formatHex(mutated) + " threw " + e, e);
                }
            }
        }
    }

    @Test
    void mutatedMessagesAreParsedOrRefusedWith400Or403() {
        Random random = new Random(7191);
        for (Sample sample : samples()) {
            for (int i = 0; i < ROUNDS; i++) {
                byte[] mutated = mutate(sample.message(), random);
                try {
                    SignedReturnMessage message = SignedReturnMessage.parse(mutated);
                    message.verifySignedBy(CERT);
                    ReceiptDecoder.decode(sample.kind(), message.contentType(), message.content());
                } catch (EstProtocolException e) {
                    assertTrue(e.status() == 400 || e.status() == 403, () -> e.status() + " " + e.getMessage());
                } catch (RuntimeException e) {
                    fail("message " + java.util.HexFormat.of().formatHex(mutated) + " threw " + e, e);
                }
            }
        }
    }

    @Test
    void mutatedPackagesNeverThrow() {
        Random random = new Random(4108);
        List<DistributedPackage> packages = List.of(
                new DistributedPackage("f", PackageKind.FIRMWARE, ReturnMessages.firmwarePackage(
                        ReturnMessages.preferredFirmwareName("1.2.3.4", 1), new byte[] {1}, KEY.getPrivate(), CERT)),
                new DistributedPackage("t", PackageKind.TAMP, ReturnMessages.tampMessage(ReturnMessages.TAMP_UPDATE, REF,
                        KEY.getPublic(), KEY.getPrivate(), CERT)));
        for (DistributedPackage p : packages) {
            for (int i = 0; i < ROUNDS; i++) {
                byte[] mutated = mutate(p.content(), random);
                try {
                    PackageReferences.of(new DistributedPackage(p.id(), p.kind(), mutated));
                } catch (RuntimeException e) {
                    fail(p.kind() + " package " + java.util.HexFormat.of().formatHex(mutated) + " threw " + e, e);
                }
            }
        }
    }

    /** One to three random edits: an octet changed, removed or inserted, or the tail cut off. */
    private static byte[] mutate(byte[] original, Random random) {
        byte[] out = original.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length > 0; e++) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(4)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
                case 2 -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) random.nextInt(256);
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
                default -> out = Arrays.copyOf(out, at);
            }
        }
        return out;
    }
}
