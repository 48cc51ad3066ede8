package org.est4j.jaxrs.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.est4j.jaxrs.EstProtocolException;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.AuthenticationMethod;
import org.est4j.spi.UnverifiedIdentity;
import org.junit.jupiter.api.Test;

class ClientAuthorizationTest {

    private static AuthenticatedClient user(String name) {
        return new AuthenticatedClient(List.of(), Optional.of(name), Set.of(AuthenticationMethod.HTTP_BASIC), "192.0.2.1");
    }

    private final ClientAuthorization rules = new ClientAuthorization(List.of("user:factory-*", "user:ops"),
            List.of("CN=*.iot.example.org", "CN=gateway-?"));

    @Test
    void allowedClientsAndSubjectsPass() {
        rules.check(user("factory-7"), new X500Principal("CN=sensor-1.iot.example.org"));
        rules.check(user("OPS"), new X500Principal("CN=Sensor-2.IOT.example.org"));
        rules.check(user("ops"), new X500Principal("CN=gateway-?"));
    }

    @Test
    void othersAre403WithTheReason() {
        EstProtocolException who = assertThrows(EstProtocolException.class,
                () -> rules.check(user("intruder"), new X500Principal("CN=sensor-1.iot.example.org")));
        assertEquals(403, who.status());
        EstProtocolException what = assertThrows(EstProtocolException.class,
                () -> rules.check(user("ops"), new X500Principal("CN=bank.example.com")));
        assertTrue(what.getMessage().contains("CN=bank.example.com"), what.getMessage());
        assertThrows(EstProtocolException.class, () -> rules.check(user("ops"), new X500Principal("CN=gateway-12")),
                "a glob matches the whole subject, ? is a literal");
    }

    @Test
    void aQueuedClientIsLeftToThePersonButItsSubjectIsStillChecked() {
        AuthenticatedClient queued = AuthenticatedClient.unverified(
                new UnverifiedIdentity(List.of(), Optional.of("stranger"), "unknown HTTP user"), "192.0.2.9");
        rules.check(queued, new X500Principal("CN=new.iot.example.org"));
        assertThrows(EstProtocolException.class, () -> rules.check(queued, new X500Principal("CN=elsewhere")));
    }
}
