package org.est4j.war.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** {@code ca.<name>.type = cmp} and its {@code ca.<name>.cmp.*} keys. */
class CmpSettingsTest {

    private static Map<String, String> macCa() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("ca.ejbca.type", "cmp");
        keys.put("ca.ejbca.cmp.url", "https://ca.example.com/ejbca/publicweb/cmp/est4j");
        keys.put("ca.ejbca.cmp.protection", "mac");
        keys.put("ca.ejbca.cmp.mac.secret-file", "cmp-secret");
        keys.put("label.devices.ca", "ejbca");
        return keys;
    }

    private static String refusal(Map<String, String> keys) {
        return assertThrows(ConfigException.class, () -> Est4jConfig.parse(keys, "est4j.properties")).getMessage();
    }

    @Test
    void aCmpCaServesItsLabelsAndIsNoLocalCa() {
        Est4jConfig config = Est4jConfig.parse(macCa(), "est4j.properties");
        CmpSettings cmp = config.cmpCas().get("ejbca");
        assertEquals(URI.create("https://ca.example.com/ejbca/publicweb/cmp/est4j"), cmp.url());
        assertEquals(CmpSettings.Protection.MAC, cmp.protection());
        assertEquals(CmpSettings.MacAlgorithm.PBMAC1, cmp.macAlgorithm(), "PBMAC1 unless told otherwise (RFC 9481)");
        assertEquals(Optional.of("cmp-secret"), cmp.secretFile());
        assertEquals(3600, cmp.cacertsCacheSeconds());
        assertEquals(Set.of("default"), config.cas().keySet(), "no local CA is made for a CMP CA");
        assertEquals("ejbca", config.caFor(Optional.of("devices")));
    }

    @Test
    void theSecretIsNeverInTheProperties() {
        Map<String, String> keys = macCa();
        keys.put("ca.ejbca.cmp.mac.secret", "hunter2");
        String message = refusal(keys);
        assertTrue(message.contains("a shared secret is never put in est4j.properties"), message);
        assertFalse(message.contains("hunter2"), "the value is not echoed: " + message);
    }

    @Test
    void macNeedsExactlyOneSecretSource() {
        Map<String, String> keys = macCa();
        keys.put("ca.ejbca.cmp.mac.secret-env", "EST4J_CMP_SECRET");
        assertTrue(refusal(keys).contains("needs exactly one of 'ca.ejbca.cmp.mac.secret-file'"));
        keys.remove("ca.ejbca.cmp.mac.secret-file");
        assertEquals(Optional.of("EST4J_CMP_SECRET"), Est4jConfig.parse(keys, "f").cmpCas().get("ejbca").secretEnv());
    }

    @Test
    void signatureNeedsTheRaKeyAndCertificateAndTheUpstreamCertificate() {
        Map<String, String> keys = macCa();
        keys.put("ca.ejbca.cmp.protection", "signature");
        keys.put("ca.ejbca.cmp.signature.key", "ra-key.pem");
        String message = refusal(keys);
        assertTrue(message.contains("'ca.ejbca.cmp.protection' = 'signature' needs 'ca.ejbca.cmp.signature.key', "
                + "'ca.ejbca.cmp.signature.certificates'"), message);
        keys.put("ca.ejbca.cmp.signature.certificates", "ra.pem");
        keys.put("ca.ejbca.cmp.server-certificate", "ejbca-cmp.pem");
        assertEquals(CmpSettings.Protection.SIGNATURE, Est4jConfig.parse(keys, "f").cmpCas().get("ejbca").protection());
    }

    private static Map<String, String> tokenCa() {
        Map<String, String> keys = macCa();
        keys.remove("ca.ejbca.cmp.mac.secret-file");
        keys.put("ca.ejbca.cmp.protection", "signature");
        keys.put("ca.ejbca.cmp.signature.key-store", "pkcs11");
        keys.put("ca.ejbca.pkcs11.library", "/usr/lib/softhsm/libsofthsm2.so");
        keys.put("ca.ejbca.pkcs11.token-label", "ra-token");
        keys.put("ca.ejbca.pkcs11.key-label", "est4j-ra");
        keys.put("ca.ejbca.pkcs11.pin-env", "EST4J_RA_PIN");
        keys.put("ca.ejbca.cmp.server-certificate", "ejbca-cmp.pem");
        return keys;
    }

    @Test
    void theRaKeyMaySitInAPkcs11TokenWithTheLocalCaKeysGrammar() {
        CmpSettings cmp = Est4jConfig.parse(tokenCa(), "f").cmpCas().get("ejbca");
        Pkcs11Settings token = cmp.signatureToken().orElseThrow();
        assertEquals(java.nio.file.Path.of("/usr/lib/softhsm/libsofthsm2.so"), token.library());
        assertEquals("ra-token", token.tokenLabel());
        assertEquals("est4j-ra", token.keyLabel());
        assertEquals("EST4J_RA_PIN", token.pinEnv());
        assertEquals(Optional.empty(), cmp.signatureKey());
        assertEquals(Optional.empty(), cmp.signatureCertificates(), "the token's certificate unless one is named");
    }

    @Test
    void aTokenRaKeyNeedsItsLabelAndNoPemKey() {
        Map<String, String> keys = tokenCa();
        keys.remove("ca.ejbca.pkcs11.key-label");
        String message = refusal(keys);
        assertTrue(message.contains("'ca.ejbca.cmp.signature.key-store' = 'pkcs11' needs 'ca.ejbca.pkcs11.key-label'"), message);
        keys = tokenCa();
        keys.put("ca.ejbca.cmp.signature.key", "ra-key.pem");
        message = refusal(keys);
        assertTrue(message.contains("replaces 'ca.ejbca.cmp.signature.key'"), message);
        keys = tokenCa();
        keys.remove("ca.ejbca.pkcs11.pin-env");
        message = refusal(keys);
        assertTrue(message.contains("'ca.ejbca.cmp.signature.key-store' = 'pkcs11' needs exactly one of 'ca.ejbca.pkcs11.pin-file'"),
                message);
        keys = tokenCa();
        keys.put("ca.ejbca.cmp.signature.key-store", "hsm");
        message = refusal(keys);
        assertTrue(message.contains("file (a PEM key named by ca.ejbca.cmp.signature.key, the default) or pkcs11"), message);
    }

    @Test
    void pkcs11KeysOfACmpCaOnlyApplyToATokenRaKey() {
        Map<String, String> keys = macCa();
        keys.put("ca.ejbca.pkcs11.library", "/usr/lib/softhsm/libsofthsm2.so");
        String message = refusal(keys);
        assertTrue(message.contains("'ca.ejbca.pkcs11.library' only apply to a CMP CA with 'ca.ejbca.cmp.signature.key-store' = "
                + "'pkcs11'"), message);
        keys = tokenCa();
        keys.put("ca.ejbca.cmp.protection", "mac");
        keys.put("ca.ejbca.cmp.mac.secret-file", "cmp-secret");
        message = refusal(keys);
        assertTrue(message.contains("applies to 'ca.ejbca.cmp.protection' = 'signature' only"), message);
    }

    @Test
    void aTokenRaKeyCanBeChosenThroughTheEnvironment() {
        // not the local CA's key-store of a CA named "ejbca_cmp_signature": the longest key wins
        assertEquals(Optional.of("ca.ejbca.cmp.signature.key-store"),
                KeyGrammar.keyFor("EST4J_CA_EJBCA_CMP_SIGNATURE_KEY_STORE", Set.of()));
        assertEquals(Optional.of("ca.ejbca.cmp.signature.key-store"),
                KeyGrammar.keyFor("EST4J_CA_EJBCA_CMP_SIGNATURE_KEY_STORE", macCa().keySet()));
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        Map<String, String> keys = macCa();
        keys.put("ca.ejbca.cmp.url", "ftp://ca.example.com/");
        assertTrue(refusal(keys).startsWith("est4j.properties: 'ca.ejbca.cmp.url' = 'ftp://ca.example.com/': expected an http:// or https:// URL"));
        keys = macCa();
        keys.put("ca.ejbca.type", "remote");
        assertTrue(refusal(keys).contains("'ca.ejbca.type' = 'remote': expected local"));
        keys = macCa();
        keys.put("ca.ejbca.cmp.mac.algorithm", "hmac");
        assertTrue(refusal(keys).contains("expected pbmac1 (RFC 9481, the default) or password-based-mac"));
        keys = macCa();
        keys.put("ca.ejbca.subject", "CN=x");
        assertTrue(refusal(keys).contains("unknown key 'ca.ejbca.subject' (a CA of type cmp has type, cmp.url"));
        keys = macCa();
        keys.remove("ca.ejbca.cmp.url");
        assertTrue(refusal(keys).contains("needs 'ca.ejbca.cmp.url'"));
        keys = macCa();
        keys.put("ca.ejbca.cmp.url", "http://ca.example.com/cmp");
        keys.put("ca.ejbca.cmp.tls-trust-anchors", "anchors.pem");
        assertTrue(refusal(keys).contains("only applies to an https"));
    }

    @Test
    void cmpKeysOnALocalCaAndACmpDefaultCaAreRefused() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("ca.iot.cmp.url", "http://ca.example.com/cmp");
        assertTrue(refusal(keys).contains("'ca.iot.cmp.url' only apply with 'ca.iot.type' = 'cmp'"));
        keys.clear();
        keys.put("ca.default.type", "cmp");
        assertTrue(refusal(keys).contains("the default CA is always local"));
    }

    @Test
    void environmentVariablesReachTheCmpKeys() {
        assertEquals(Optional.of("ca.ejbca.cmp.mac.secret-file"),
                KeyGrammar.keyFor("EST4J_CA_EJBCA_CMP_MAC_SECRET_FILE", macCa().keySet()));
        assertEquals(Optional.of("ca.ejbca.cmp.connect-timeout-seconds"),
                KeyGrammar.keyFor("EST4J_CA_EJBCA_CMP_CONNECT_TIMEOUT_SECONDS", Set.of()));
    }
}
