package org.est4j.jaxrs.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PasswordAndBasicTest {

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hashesAreSaltedPhcStringsThatVerify() {
        String a = PasswordHashes.hash("correct horse".toCharArray());
        String b = PasswordHashes.hash("correct horse".toCharArray());
        assertTrue(a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), a);
        assertNotEquals(a, b, "salted");
        assertTrue(PasswordHashes.verify(a, "correct horse".toCharArray()));
        assertFalse(PasswordHashes.verify(a, "correct horse!".toCharArray()));
    }

    @Test
    void storeVerifiesKnownUsersOnly() {
        HashedCredentialStore store = new HashedCredentialStore(Map.of("est", PasswordHashes.hash("pw".toCharArray())));
        assertTrue(store.verify("est", "pw".toCharArray()));
        assertFalse(store.verify("est", "PW".toCharArray()));
        assertFalse(store.verify("nobody", "pw".toCharArray()));
    }

    @Test
    void storeRefusesMalformedHashesNamingTheUser() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new HashedCredentialStore(Map.of("alice", "plaintext")));
        assertTrue(e.getMessage().contains("alice"));
    }

    @Test
    void parsesBasicCredentialsInUtf8WithColonsInThePassword() throws Exception {
        BasicCredentials c = BasicCredentials.parse(basic("j\u00fcrgen:pa:ss")).orElseThrow();
        assertEquals("j\u00fcrgen", c.username());
        assertArrayEquals("pa:ss".toCharArray(), c.password());
        BasicCredentials empty = BasicCredentials.parse("basic " + Base64.getEncoder().encodeToString(":otp".getBytes())).orElseThrow();
        assertEquals("", empty.username());
        c.wipe();
        assertArrayEquals(new char[5], c.password());
    }

    @Test
    void ignoresOtherSchemesAndRefusesMalformedBasic() throws Exception {
        assertEquals(Optional.empty(), BasicCredentials.parse(null));
        assertEquals(Optional.empty(), BasicCredentials.parse("Digest username=\"x\""));
        assertThrows(BasicCredentials.MalformedException.class, () -> BasicCredentials.parse("Basic"));
        assertThrows(BasicCredentials.MalformedException.class, () -> BasicCredentials.parse("Basic !!!"));
        assertThrows(BasicCredentials.MalformedException.class, () -> BasicCredentials.parse(basic("nocolon")));
    }

    @Test
    void refusesControlCharactersAsRfc7617Does() {
        assertThrows(BasicCredentials.MalformedException.class, () -> BasicCredentials.parse(basic("a\r\nSEVERE: forged:pw")));
        assertThrows(BasicCredentials.MalformedException.class, () -> BasicCredentials.parse(basic("user:pass\u0000word")));
        assertThrows(BasicCredentials.MalformedException.class, () -> BasicCredentials.parse(basic("us\u007fer:pw")));
    }

    /** Found by fuzzing: "Basic<TAB>..." was Basic to the authenticator and not to the parser (a 500). */
    @Test
    void aTabAfterTheSchemeIsReadAlikeEverywhere() throws Exception {
        String tab = "Basic\t" + java.util.Base64.getEncoder().encodeToString("est:pw".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("basic", BasicCredentials.scheme(tab));
        assertEquals("est", BasicCredentials.parse(tab).orElseThrow().username());
        assertEquals("digest", BasicCredentials.scheme("  DIGEST username=x"));
        assertEquals("", BasicCredentials.scheme(null));
    }
}
