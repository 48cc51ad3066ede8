package org.est4j.jaxrs.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.EstProtocolException;
import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.auth.ClientCertificateValidator;
import org.est4j.jaxrs.auth.EstAuthenticator;
import org.est4j.jaxrs.auth.HashedCredentialStore;
import org.est4j.jaxrs.packages.PackageDistribution;
import org.est4j.jaxrs.packages.PackageReturns;
import org.est4j.jaxrs.packages.ReturnMessages;
import org.est4j.spi.CaException;
import org.est4j.spi.PackageKind;
import org.est4j.spi.PackageReturn;
import org.est4j.spi.PackageReturn.Outcome;

/**
 * The RFC 8295 {@code /return} paths ({@code POST .../symmetrickeys|firmware|tamp|serverkeygen/return}):
 * {@link PackageReturns#accept}, which reads the body (binary DER or base64), parses the CMS SignedData
 * (packages/SignedReturnMessage), checks it is signed by the client's TLS certificate, decodes the receipt, error or
 * TAMP response its path allows (packages/ReceiptDecoder) and looks up the package it names (packages/PackageReferences).
 * Its documented outcomes: an {@link EstProtocolException} 400, 403, 404 or 413 (415 cannot happen here: every request
 * is {@code application/cms}; 501 only on {@code /serverkeygen/return} of a server without a package service) with a
 * one-line reason and nothing recorded, or 204 after exactly one {@code recordReturn} for this client, of the path's
 * kind, naming a package the service gave this client (on {@code /serverkeygen/return} a certificate serial of 1 to 20
 * octets). Anything else is a finding.
 *
 * <p>The client is {@link FuzzPackages#CLIENT}, authenticated by its TLS certificate, with fixed keys so that the
 * committed {@code body} seeds, which it signed, stay valid.
 */
class PackageReturnFuzzTest {

    static {
        Fuzzing.init();
    }

    private static final int MAX = 16 * 1024;
    private static final EstEndpointConfig CONFIG = new EstEndpointConfig(MAX, "est4j",
            new ClientCertificateValidator(List.of(FuzzPackages.CA)), new HashedCredentialStore(Map.of()));
    private static final FuzzPackages SERVICE = new FuzzPackages();
    private static final PackageReturns RETURNS = new PackageReturns(SERVICE, CONFIG, EstAuthenticator.CertificateStatusSource.NONE);
    private static final PackageReturns WITHOUT_SERVICE = new PackageReturns(PackageDistribution.NONE, CONFIG,
            EstAuthenticator.CertificateStatusSource.NONE);

    /** The four paths, by the low two bits of {@link #body}'s first octet; empty is {@code /serverkeygen/return}. */
    static final List<Optional<PackageKind>> PATHS = List.of(Optional.of(PackageKind.SYMMETRIC_KEYS),
            Optional.of(PackageKind.FIRMWARE), Optional.of(PackageKind.TAMP), Optional.empty());

    /** What {@link #signedContent}'s first octet (modulo 12) selects: an eContentType, the path it is posted to, the outcome of a 204. */
    record Signed(String contentType, Optional<PackageKind> kind, Optional<Outcome> outcome) {
    }

    static final List<Signed> SIGNED = List.of(
            new Signed(ReturnMessages.KEY_PACKAGE_RECEIPT, Optional.of(PackageKind.SYMMETRIC_KEYS), Optional.of(Outcome.ACCEPTED)),
            new Signed(ReturnMessages.KEY_PACKAGE_ERROR, Optional.of(PackageKind.SYMMETRIC_KEYS), Optional.of(Outcome.FAILED)),
            new Signed(ReturnMessages.FIRMWARE_LOAD_RECEIPT, Optional.of(PackageKind.FIRMWARE), Optional.of(Outcome.ACCEPTED)),
            new Signed(ReturnMessages.FIRMWARE_LOAD_ERROR, Optional.of(PackageKind.FIRMWARE), Optional.of(Outcome.FAILED)),
            new Signed(ReturnMessages.TAMP_STATUS_RESPONSE, Optional.of(PackageKind.TAMP), Optional.empty()),
            new Signed(ReturnMessages.TAMP_UPDATE_CONFIRM, Optional.of(PackageKind.TAMP), Optional.empty()),
            new Signed("2.16.840.1.101.2.1.2.77.6", Optional.of(PackageKind.TAMP), Optional.empty()), // TAMPApexUpdateConfirm
            new Signed(ReturnMessages.TAMP_COMMUNITY_UPDATE_CONFIRM, Optional.of(PackageKind.TAMP), Optional.empty()),
            new Signed(ReturnMessages.TAMP_SEQ_NUM_ADJUST_CONFIRM, Optional.of(PackageKind.TAMP), Optional.empty()),
            new Signed(ReturnMessages.TAMP_ERROR, Optional.of(PackageKind.TAMP), Optional.of(Outcome.FAILED)),
            new Signed(ReturnMessages.KEY_PACKAGE_RECEIPT, Optional.empty(), Optional.of(Outcome.ACCEPTED)),
            new Signed(ReturnMessages.KEY_PACKAGE_ERROR, Optional.empty(), Optional.of(Outcome.FAILED)));

    /**
     * The beginnings of the 400 reasons of the CMS envelope and its signature (SignedReturnMessage), and of a type the
     * path does not allow: never the answer to a message the harness signed correctly with a type of its path.
     */
    private static final List<String> ENVELOPE_REASONS = List.of("a receipt must be a signed CMS message", "the SignedData",
            "the receipt's signature", "the receipt's signingTime", "the receipt is signed by", "the receipt's SignerInfo",
            "the request body is empty", "a message posted to /");

    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404, 413);

    /**
     * The body as the client posts it: the first octet picks the path (low two bits: symmetrickeys, firmware, tamp,
     * serverkeygen) and, with its high bit set, a server without a package service; the rest is the body.
     */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void body(byte[] input) {
        int selector = input.length == 0 ? 0 : Byte.toUnsignedInt(input[0]);
        byte[] posted = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        post(PATHS.get(selector & 3), posted, (selector & 0x80) == 0);
    }

    /**
     * The eContent only: the harness signs the fuzzer's octets correctly with the client's key (certificate included),
     * as the eContentType the first octet picks, and posts them to that type's path, so that mutations reach the
     * decoding of receipts, errors and TAMP responses behind the signature check. Such a message is never refused for
     * its envelope, signature or type, a 403 only names another client's package, and a 204 records the outcome its
     * type promises (receipts accepted, errors failed).
     */
    @FuzzTest(maxDuration = Fuzzing.MAX_DURATION)
    void signedContent(byte[] input) {
        Signed signed = SIGNED.get(input.length == 0 ? 0 : Byte.toUnsignedInt(input[0]) % SIGNED.size());
        byte[] content = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        byte[] der = ReturnMessages.signed(signed.contentType(), content, FuzzPackages.CLIENT_KEY, FuzzPackages.CLIENT);
        Result result = post(signed.kind(), der, true);
        if (result.refused() != null) {
            EstProtocolException e = result.refused();
            for (String envelope : ENVELOPE_REASONS) {
                assertFalse(e.getMessage().startsWith(envelope),
                        () -> "a correctly signed " + signed.contentType() + " was refused for its envelope: " + e.getMessage());
            }
            if (e.status() == 403) {
                assertTrue(e.getMessage().contains("'" + FuzzPackages.OTHER_CLIENTS_KEYS + "', which was not distributed to this client"),
                        () -> "a correctly signed message from the client was refused with 403: " + e.getMessage());
            }
            return;
        }
        assertArrayEquals(der, result.recorded().message(), "the recorded message is the one posted");
        signed.outcome().ifPresent(o -> assertEquals(o, result.recorded().outcome(), () -> signed.contentType() + " recorded as " + result.recorded()));
    }

    /** The return recorded on a 204, or the acceptable refusal. */
    record Result(PackageReturn recorded, EstProtocolException refused) {
    }

    /** Posts {@code posted} over TLS as {@link FuzzPackages#CLIENT} and checks the documented outcomes. */
    private static Result post(Optional<PackageKind> kind, byte[] posted, boolean withService) {
        SERVICE.reset();
        HttpRequestInfo http = new HttpRequestInfo("application/cms", posted.length, null,
                List.of(FuzzPackages.CLIENT, FuzzPackages.CA), "192.0.2.30");
        EstReply reply;
        try {
            reply = (withService ? RETURNS : WITHOUT_SERVICE).accept(Optional.empty(), http, new ByteArrayInputStream(posted), kind);
        } catch (EstProtocolException e) {
            boolean notImplemented = e.status() == 501 && !withService && kind.isEmpty();
            assertTrue(REFUSALS.contains(e.status()) || notImplemented,
                    () -> "a refused return must be a 400, 403, 404 or 413, got " + e.status() + ": " + e.getMessage());
            assertTrue(e.status() != 413 || posted.length > MAX, () -> "413 for " + posted.length + " octets: " + e.getMessage());
            Fuzzing.assertOneLine("the " + e.status() + " reason", e.getMessage());
            assertTrue(e.headers().isEmpty(), () -> "a refused return carries no headers: " + e.headers());
            assertFalse(e.emptyBody(), "a refused return carries its reason as the body");
            assertTrue(SERVICE.recorded.isEmpty(), () -> "refused with " + e.status() + " but recorded " + SERVICE.recorded);
            return new Result(null, e);
        } catch (CaException e) {
            fail("the fuzzing package service never fails", e);
            return null;
        }
        assertTrue(withService, "a server without a package service recorded a return");
        assertEquals(204, reply.status(), "an accepted return is a 204");
        assertEquals(0, reply.body().length, "a 204 has no body");
        assertEquals(1, SERVICE.recorded.size(), () -> "a 204 records exactly one return: " + SERVICE.recorded);
        PackageReturn recorded = SERVICE.recorded.get(0);
        assertEquals(kind, recorded.kind(), "the recorded kind is the path's");
        assertEquals(Optional.empty(), recorded.label(), "the recorded label");
        assertEquals(Optional.of(FuzzPackages.CLIENT), recorded.client().certificate(), "the recorded client");
        Fuzzing.assertOneLine("the recorded detail", recorded.detail());
        if (posted[0] == 0x30) {
            assertArrayEquals(posted, recorded.message(), "binary DER is recorded as posted");
        }
        if (kind.isPresent()) {
            assertTrue(SERVICE.given.contains(recorded.packageId()), () -> "recorded against '" + recorded.packageId()
                    + "', which the service did not give the client (it gave " + SERVICE.given + ")");
        } else {
            String id = recorded.packageId();
            assertTrue(id.matches("-?[0-9a-f]+"), () -> "a server-generated key is recorded by its serial in hexadecimal: " + id);
            int octets = new BigInteger(id, 16).toByteArray().length;
            assertTrue(octets <= 20, () -> "serial " + id + " has " + octets + " octets, more than a certificate's 20");
        }
        return new Result(recorded, null);
    }
}
