package org.est4j.jaxrs.proxy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedAddressesTest {

    private final TrustedAddresses list = TrustedAddresses.parse("10.0.0.0/8, 192.0.2.7, fd00::/8, ::1");

    @Test
    void matchesIpv4AndIpv6Blocks() {
        assertTrue(list.contains("10.200.3.4"));
        assertTrue(list.contains("192.0.2.7"));
        assertTrue(list.contains("fd12:3456::1"));
        assertTrue(list.contains("0:0:0:0:0:0:0:1"));
        assertTrue(list.contains("[::1]"));
        assertFalse(list.contains("11.0.0.1"));
        assertFalse(list.contains("192.0.2.8"));
        assertFalse(list.contains("fe80::1"));
        assertFalse(list.contains("127.0.0.1"));
    }

    @Test
    void emptyTrustsNobody() {
        TrustedAddresses none = TrustedAddresses.parse("");
        assertTrue(none.isEmpty());
        assertFalse(none.contains("127.0.0.1"));
        assertFalse(TrustedAddresses.parse(null).contains("::1"));
    }

    @Test
    void namesAreNeverResolved() {
        assertFalse(list.contains("localhost"));
        assertThrows(IllegalArgumentException.class, () -> TrustedAddresses.parse("proxy.example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::/129", "1.2.3", "1.2.3.4/x", "300.1.1.1", "10.0.0.0/-1"})
    void refusesMalformedEntries(String entry) {
        assertThrows(IllegalArgumentException.class, () -> TrustedAddresses.parse(entry));
    }
}
