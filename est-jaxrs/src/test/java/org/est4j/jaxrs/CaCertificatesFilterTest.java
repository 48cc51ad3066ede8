package org.est4j.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;


import org.junit.jupiter.api.Test;

/** Which requests the filter answers itself: exactly the /cacerts paths, with or without a valid label. */
class CaCertificatesFilterTest {

    @Test
    void answersCacertsWithAndWithoutALabel() {
        assertEquals("", CaCertificatesFilter.cacertsLabel("/.well-known/est/cacerts", ""));
        assertEquals("iot", CaCertificatesFilter.cacertsLabel("/.well-known/est/iot/cacerts", ""));
        assertEquals("iot", CaCertificatesFilter.cacertsLabel("/pki/.well-known/est/iot/cacerts", "/pki"));
    }

    @Test
    void leavesEverythingElseToTheResource() {
        assertNull(CaCertificatesFilter.cacertsLabel("/.well-known/est/simpleenroll", ""));
        assertNull(CaCertificatesFilter.cacertsLabel("/.well-known/est/xcacerts", ""), "not a path segment");
        assertNull(CaCertificatesFilter.cacertsLabel("/.well-known/est/a/b/cacerts", ""), "two segments");
        assertNull(CaCertificatesFilter.cacertsLabel("/.well-known/est/bad%20label/cacerts", ""), "not a label: the resource's 404");
        assertNull(CaCertificatesFilter.cacertsLabel("/.well-known/est/cacerts", "/pki"), "another context");
        assertNull(CaCertificatesFilter.cacertsLabel("/other/.well-known/est/cacerts", ""));
    }
}
