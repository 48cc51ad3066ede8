package org.est4j.war.config;

import java.nio.file.Path;

/**
 * Loads {@code args[0]} as production does ({@link Est4jConfig#load(Path)}: this process's real environment and system
 * properties) and prints a few settings, or the error and exit status 2. Run in a child JVM by
 * {@link EnvironmentAndSystemPropertiesTest}, since a JVM cannot change its own environment.
 */
public final class ConfigProbe {
    private ConfigProbe() {
    }

    public static void main(String[] args) {
        try {
            Est4jConfig c = Est4jConfig.load(Path.of(args[0]));
            System.out.println("realm=" + c.basicRealm());
            System.out.println("max-request-bytes=" + c.maxRequestBytes());
            System.out.println("default-ca=" + c.cas().get(Est4jConfig.DEFAULT_CA).keyAlgorithm().name());
        } catch (ConfigException e) {
            System.out.println("error=" + e.getMessage());
            System.exit(2);
        }
    }
}
