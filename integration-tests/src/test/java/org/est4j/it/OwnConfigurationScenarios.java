package org.est4j.it;

import java.io.IOException;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that deploys the WAR after adding its own lines to est4j.properties ({@link EstHomeConfig#append},
 * from its {@code @Deployment} method) and gets the file back afterwards; {@link #target} is the server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class OwnConfigurationScenarios {

    EstTarget target;

    @BeforeEach
    void readTarget() {
        target = EstTarget.fromSystemProperties();
    }

    @AfterAll
    static void restoreConfiguration() throws IOException {
        EstHomeConfig.restore();
    }
}
