package org.est4j.war.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Est4jConfigTest {

    @Test
    void defaultsWithoutAnyKey() {
        Est4jConfig c = Est4jConfig.parse(Map.of(), "est4j.properties");
        CaSettings ca = c.cas().get("default");
        assertEquals(KeyAlgorithm.EC_P256, ca.keyAlgorithm());
        assertEquals(365, ca.certValidityDays());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), ca.extendedKeyUsages());
        assertEquals("est4j", c.basicRealm());
        assertEquals(65536, c.maxRequestBytes());
        assertEquals("default", c.caFor(Optional.empty()));
        assertEquals(null, c.caFor(Optional.of("iot")));
    }

    @Test
    void labelsSelectNamedCas() {
        Est4jConfig c = Est4jConfig.parse(Map.of("ca.iot.key-algorithm", "RSA-3072", "label.iot.ca", "iot",
                "label.legacy.ca", "default", "ca.iot.extended-key-usage", "clientAuth, serverAuth, 1.2.3.4"), "f");
        assertEquals("iot", c.caFor(Optional.of("iot")));
        assertEquals("default", c.caFor(Optional.of("legacy")));
        assertEquals(KeyAlgorithm.RSA_3072, c.cas().get("iot").keyAlgorithm());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1", "1.2.3.4"), c.cas().get("iot").extendedKeyUsages());
    }

    @Test
    void proxyKeysAreCollectedAndTheFilterIsOffWithoutTrustedAddresses() {
        assertEquals(null, Est4jConfig.parse(Map.of("proxy.client-cert.format", "nginx"), "f").proxyConfig());
        Est4jConfig c = Est4jConfig.parse(Map.of("proxy.trusted-addresses", "10.0.0.0/8", "proxy.client-cert.format", "apache",
                "proxy.client-cert.chain-header", "X-SSL-Client-Cert-Chain-"), "f");
        assertEquals("apache", c.proxyConfig().format().configName());
        assertTrue(c.proxyConfig().isTrustedPeer("10.1.2.3", 8080));
        ConfigException e = assertThrows(ConfigException.class,
                () -> Est4jConfig.parse(Map.of("proxy.trusted-addresses", "10.0.0.0/8"), "est4j.properties"));
        assertTrue(e.getMessage().contains("proxy.client-cert.format"), e.getMessage());
    }

    @Test
    void csrAttributesTakeNamesAndOids() {
        Est4jConfig c = Est4jConfig.parse(Map.of("ca.default.csr-attributes",
                "challengePassword, ecPublicKey=secp384r1, extensionRequest=macAddress 2.5.29.17, 1.2.840.10045.4.3.3"), "f");
        assertEquals(new org.est4j.spi.CsrAttributes(List.of(
                new org.est4j.spi.CsrAttributes.Oid("1.2.840.113549.1.9.7"),
                new org.est4j.spi.CsrAttributes.Attribute("1.2.840.10045.2.1", List.of("1.3.132.0.34")),
                new org.est4j.spi.CsrAttributes.Attribute("1.2.840.113549.1.9.14", List.of("1.3.6.1.1.1.1.22", "2.5.29.17")),
                new org.est4j.spi.CsrAttributes.Oid("1.2.840.10045.4.3.3"))), c.cas().get("default").csrAttributes());
        ConfigException e = assertThrows(ConfigException.class,
                () -> Est4jConfig.parse(Map.of("ca.default.csr-attributes", "challengePasword"), "f"));
        assertTrue(e.getMessage().contains("ca.default.csr-attributes") && e.getMessage().contains("challengePasword"), e.getMessage());
    }

    @Test
    void usersMayBeDeclaredAsHashesButNeverAsPasswords() {
        String hash = org.est4j.jaxrs.auth.PasswordHashes.hash("pw".toCharArray());
        assertEquals(Map.of("router-provisioning", hash),
                Est4jConfig.parse(Map.of("user.router-provisioning", hash), "f").users());
        ConfigException e = assertThrows(ConfigException.class,
                () -> Est4jConfig.parse(Map.of("user.alice", "s3cret-password"), "est4j.properties"));
        assertTrue(e.getMessage().contains("user.alice"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-password"), "a password typed into the file is never echoed");
    }

    @Test
    void anRfc9908TemplateIsAddedToTheCsrAttributes() {
        org.est4j.spi.CsrAttributes attrs = Est4jConfig.parse(Map.of("ca.default.csr-attributes", "challengePassword",
                "ca.default.csr-template-subject", "CN, O=Example Corp", "ca.default.csr-template-key", "ecPublicKey=secp256r1",
                "ca.default.csr-template-extensions", "subjectAltName"), "f").cas().get("default").csrAttributes();
        assertEquals(2, attrs.items().size());
        org.est4j.spi.CsrAttributes.Template t = (org.est4j.spi.CsrAttributes.Template) attrs.items().get(1);
        assertEquals(List.of(new org.est4j.spi.CsrAttributes.SubjectField("2.5.4.3", java.util.Optional.empty()),
                new org.est4j.spi.CsrAttributes.SubjectField("2.5.4.10", java.util.Optional.of("Example Corp"))), t.subject());
        assertEquals("1.2.840.10045.3.1.7", t.key().orElseThrow().parameters().orElseThrow());
        assertEquals("2.5.29.17", t.extensions().get(0).oid());
    }

    @Test
    void labelPoliciesInheritThePolicyKeysAndOverrideThem() {
        Est4jConfig c = Est4jConfig.parse(Map.of("policy.server-keygen", "true", "policy.responses", "draft02-pem",
                "label.iot.ca", "default", "label.iot.server-keygen", "false", "label.iot.incomplete-auth", "queue",
                "label.plain.ca", "default", "ca.default.approval", "manual"), "f");
        org.est4j.jaxrs.policy.LabelPolicy unlabelled = c.policies().of(java.util.Optional.empty());
        org.est4j.jaxrs.policy.LabelPolicy iot = c.policies().of(java.util.Optional.of("iot"));
        assertTrue(unlabelled.serverKeyGen());
        assertEquals(org.est4j.jaxrs.policy.LabelPolicy.ResponseDialect.DRAFT02_PEM, iot.responses(), "inherited");
        assertEquals(false, iot.serverKeyGen(), "overridden");
        assertEquals(org.est4j.jaxrs.policy.LabelPolicy.IncompleteAuthentication.QUEUE, iot.incompleteAuth());
        assertEquals(unlabelled, c.policies().of(java.util.Optional.of("plain")));
        assertTrue(c.cas().get("default").manualApproval());
        assertEquals(org.est4j.jaxrs.policy.LabelPolicy.DEFAULTS,
                Est4jConfig.parse(Map.of(), "f").policies().of(java.util.Optional.empty()), "closed by default: no server-side keys");
    }

    @Test
    void crlKeysDefaultToADayAndTheReadmeTomcatsHttpPort() {
        Est4jConfig c = Est4jConfig.parse(Map.of("label.iot.ca", "iot", "ca.iot.crl-validity-hours", "6",
                "ca.iot.crl-distribution-point", "http://pki.example.com:8000/crl/iot.crl"), "f");
        assertEquals(24, c.cas().get("default").crlValidityHours());
        assertEquals(java.net.URI.create("http://localhost:8080/crl/default.crl"), c.cas().get("default").crlDistributionPoint());
        assertEquals(6, c.cas().get("iot").crlValidityHours());
        assertEquals(java.net.URI.create("http://pki.example.com:8000/crl/iot.crl"), c.cas().get("iot").crlDistributionPoint());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "ca.default.key-algorithm | DSA        | EC-P256",
            "ca.default.validity-days | ten        | whole number",
            "ca.default.cert-validity-days | 0     | whole number",
            "ca.default.extended-key-usage | client-auth | clientAuth",
            "ca.default.subject       | not a name | X.500 name",
            "ca.default.colour        | blue       | unknown key",
            "label.iot.ca             | nosuchca   | configured CA",
            "label.simpleenroll.ca    | default    | label",
            "auth.basic-realm         | a\"b       | realm",
            "limits.max-request-bytes | 10         | whole number",
            "limit.max-request-bytes  | 100000     | unknown key",
            "proxy.trusted            | 127.0.0.1  | unknown key",
            "proxy.local-ports        | http       | port number",
            "policy.server-keygen     | yes        | true or false",
            "policy.responses         | pem        | draft02-pem",
            "policy.incomplete-auth   | accept     | refuse or queue",
            "policy.server-keygen.key-algorithm | DSA | EC-P256",
            "policy.colour            | blue       | unknown key",
            "label.iot.responses      | rfc7030    | without 'label.iot.ca'",
            "ca.default.approval      | maybe      | automatic or manual",
            "ca.default.csr-template-subject | CN, Org | CN",
            "ca.default.csr-template-key | dsa     | ecPublicKey=secp256r1",
            "ca.default.crl-validity-hours | 0     | whole number from 1 to 8760",
            "ca.default.crl-validity-hours | 8761  | whole number from 1 to 8760",
            "ca.default.crl-validity-hours | day   | whole number from 1 to 8760",
            "ca.default.crl-distribution-point | https://pki.example.com/crl/default.crl | http:// URL",
            "ca.default.crl-distribution-point | ldap://ldap.example.com/cn=ca | http:// URL",
            "ca.default.crl-distribution-point | /crl/default.crl | http:// URL",
            "ca.default.crl-distribution-point | http://pki.example.com/crl/é.crl | http:// URL",
            "ca.default.crl-distribution-point | http:// | http:// URL",
    })
    void invalidValuesNameTheKey(String key, String value, String hint) {
        ConfigException e = assertThrows(ConfigException.class, () -> Est4jConfig.parse(Map.of(key, value), "est4j.properties"));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(hint), e.getMessage());
        assertTrue(e.getMessage().startsWith("est4j.properties: "), e.getMessage());
    }

    @Test
    void reenrollNoticeDaysIsAPerLabelPolicyOption() {
        Est4jConfig c = Est4jConfig.parse(Map.of("policy.reenroll-notice-days", "14", "label.iot.ca", "default",
                "label.iot.reenroll-notice-days", "0"), "f");
        assertEquals(14, c.policies().of(java.util.Optional.empty()).reenrollNoticeDays());
        assertEquals(0, c.policies().of(java.util.Optional.of("iot")).reenrollNoticeDays());
        assertEquals(30, Est4jConfig.parse(Map.of(), "f").policies().of(java.util.Optional.empty()).reenrollNoticeDays());
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> Est4jConfig.parse(Map.of("policy.reenroll-notice-days", "-1"), "f"));
    }

    private static final String LIB = "/usr/lib/softhsm/libsofthsm2.so";

    private static Map<String, String> pkcs11(String... more) {
        Map<String, String> m = new java.util.LinkedHashMap<>(Map.of("ca.default.key-store", "pkcs11", "ca.default.pkcs11.library", LIB));
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) {
                m.remove(more[i]);
            } else {
                m.put(more[i], more[i + 1]);
            }
        }
        return m;
    }

    @Test
    void theCaKeyIsAFileByDefaultAndInAPkcs11TokenWhenConfigured() {
        assertEquals(null, Est4jConfig.parse(Map.of(), "f").cas().get("default").pkcs11());
        assertEquals(null, Est4jConfig.parse(Map.of("ca.default.key-store", "file"), "f").cas().get("default").pkcs11());
        Pkcs11Settings p = Est4jConfig.parse(pkcs11("ca.default.pkcs11.token-label", "est4j", "ca.default.pkcs11.pin-file", "ca-pin"), "f")
                .cas().get("default").pkcs11();
        assertEquals(java.nio.file.Path.of(LIB), p.library());
        assertEquals("est4j", p.tokenLabel());
        assertTrue(p.slot().isEmpty());
        assertEquals("est4j-ca-default", p.keyLabel());
        assertEquals(java.nio.file.Path.of("ca-pin"), p.pinFile());
        assertEquals(null, p.pinEnv());
        p = Est4jConfig.parse(pkcs11("ca.default.pkcs11.slot", "710315287", "ca.default.pkcs11.pin-env", "EST4J_CA_PIN",
                "ca.default.pkcs11.key-label", "root-2026", "ca.default.key-algorithm", "RSA-3072"), "f").cas().get("default").pkcs11();
        assertEquals(710315287L, p.slot().getAsLong());
        assertEquals(null, p.tokenLabel());
        assertEquals("root-2026", p.keyLabel());
        assertEquals("EST4J_CA_PIN", p.pinEnv());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ca.default.pkcs11.pin",
            "ca.default.pkcs11.user-pin",
            "ca.iot.pin",
            "pkcs11.pin",
            "PIN",
    })
    void aPinInThePropertiesIsRefusedAndNotEchoed(String key) {
        Map<String, String> m = pkcs11("ca.default.pkcs11.token-label", "est4j", "ca.default.pkcs11.pin-file", "ca-pin");
        m.put(key, "31415926");
        ConfigException e = assertThrows(ConfigException.class, () -> Est4jConfig.parse(m, "est4j.properties"));
        assertTrue(e.getMessage().contains("'" + key + "'") && e.getMessage().contains("a PIN is never put in est4j.properties")
                && e.getMessage().contains("pkcs11.pin-file") && e.getMessage().contains("pkcs11.pin-env"), e.getMessage());
        assertFalse(e.getMessage().contains("31415926"), e.getMessage());
    }

    @Test
    void pkcs11KeysAreValidatedAtStart() {
        String[][] cases = {
                {"ca.default.key-store", "hsm", "file (ca/default/ca-key.pem, the default) or pkcs11"},
                {"ca.default.pkcs11.library", null, "needs 'ca.default.pkcs11.library'"},
                {"ca.default.pkcs11.library", "libsofthsm2.so", "absolute path of a PKCS#11 module"},
                {"ca.default.pkcs11.token-label", null, "exactly one of 'ca.default.pkcs11.token-label'"},
                {"ca.default.pkcs11.slot", "1", "exactly one of 'ca.default.pkcs11.token-label'"},
                {"ca.default.pkcs11.pin-file", null, "exactly one of 'ca.default.pkcs11.pin-file'"},
                {"ca.default.pkcs11.pin-env", "EST4J_CA_PIN", "exactly one of 'ca.default.pkcs11.pin-file'"},
                {"ca.default.key-algorithm", "Ed25519", "no Ed25519"},
                {"ca.default.pkcs11.key-label", "", "label of 1-64 printable characters"},
                {"ca.default.pkcs11.colour", "blue", "unknown key 'ca.default.pkcs11.colour'"},
        };
        for (String[] c : cases) {
            Map<String, String> m = pkcs11("ca.default.pkcs11.token-label", "est4j", "ca.default.pkcs11.pin-file", "ca-pin", c[0], c[1]);
            ConfigException e = assertThrows(ConfigException.class, () -> Est4jConfig.parse(m, "est4j.properties"), c[0]);
            assertTrue(e.getMessage().contains(c[2]), e.getMessage());
        }
        Map<String, String> slot = pkcs11("ca.default.pkcs11.slot", "-1", "ca.default.pkcs11.pin-file", "ca-pin");
        assertTrue(assertThrows(ConfigException.class, () -> Est4jConfig.parse(slot, "f")).getMessage().contains("slot id"));
        Map<String, String> env = pkcs11("ca.default.pkcs11.slot", "0", "ca.default.pkcs11.pin-env", "1PIN$");
        assertTrue(assertThrows(ConfigException.class, () -> Est4jConfig.parse(env, "f")).getMessage().contains("environment variable"));
        // pkcs11 keys without key-store = pkcs11 are a mistake, not silently ignored
        ConfigException e = assertThrows(ConfigException.class, () -> Est4jConfig.parse(Map.of("ca.default.pkcs11.library", LIB), "f"));
        assertTrue(e.getMessage().contains("only apply with 'ca.default.key-store' = 'pkcs11'"), e.getMessage());
    }
}
