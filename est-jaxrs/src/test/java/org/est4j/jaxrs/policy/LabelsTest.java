package org.est4j.jaxrs.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.est4j.jaxrs.EstProtocolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelsTest {

    @ParameterizedTest
    @ValueSource(strings = {"iot", "routers-2", "arbitraryLabel1", "a", "x_y.z~w", "0"})
    void acceptsUnreservedSegments(String label) {
        assertTrue(Labels.isValid(label));
        assertEquals(Optional.of(label), Labels.require(label));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".hidden", "..", "a/b", "a b", "caf\u00e9", "a%2Fb", "simpleenroll", "CACerts",
            "simpleReEnroll", "fullcmc", "serverkeygen", "csrattrs",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void refusesEverythingElseWith404(String label) {
        assertFalse(Labels.isValid(label));
        assertEquals(404, assertThrows(EstProtocolException.class, () -> Labels.require(label)).status());
    }
}
