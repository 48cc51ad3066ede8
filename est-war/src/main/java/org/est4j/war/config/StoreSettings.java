package org.est4j.war.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where est4j keeps what it must not lose ({@code store.*}): files in {@code EST_HOME} (one instance), or a shared
 * PostgreSQL database (several instances of one service). The database password is never part of the configuration:
 * the container's DataSource holds it, and code outside a container reads it from {@link #passwordFile} or
 * {@link #passwordEnv}.
 *
 * @param type         {@code store}: file or jdbc
 * @param dataSource   {@code store.datasource}: JNDI name of the container's DataSource
 * @param jdbcUrl      {@code store.jdbc-url}: for code outside a container (the Admin command, first-start set-up)
 * @param user         {@code store.jdbc-user}
 * @param passwordFile {@code store.jdbc-password-file}: relative to EST_HOME or absolute
 * @param passwordEnv  {@code store.jdbc-password-env}: the name of an environment variable
 */
public record StoreSettings(Type type, String dataSource, Optional<String> jdbcUrl, Optional<String> user,
                            Optional<String> passwordFile, Optional<String> passwordEnv) {

    /** The kinds of store. */
    public enum Type { FILE, JDBC }

    public static final String DEFAULT_DATASOURCE = "java:comp/env/jdbc/est4j";
    static final StoreSettings DEFAULT = new StoreSettings(Type.FILE, DEFAULT_DATASOURCE, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** The {@code store} and {@code store.*} keys of {@code source}. */
    static StoreSettings parse(ConfigOrigins source, Map<String, String> keys) {
        Type type = Type.FILE;
        String dataSource = DEFAULT_DATASOURCE;
        Optional<String> url = Optional.empty();
        Optional<String> user = Optional.empty();
        Optional<String> passwordFile = Optional.empty();
        Optional<String> passwordEnv = Optional.empty();
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            switch (key) {
                case "store" -> type = switch (value) {
                    case "file" -> Type.FILE;
                    case "jdbc" -> Type.JDBC;
                    default -> throw new ConfigException(source.of(key) + ": '" + key + "' = '" + value
                            + "': expected file (EST_HOME, one instance) or jdbc (a shared PostgreSQL database)");
                };
                case "store.datasource" -> dataSource = required(source, key, value, "a JNDI name such as " + DEFAULT_DATASOURCE);
                case "store.jdbc-url" -> {
                    if (!value.startsWith("jdbc:")) {
                        throw new ConfigException(source.of(key) + ": '" + key + "' = '" + value + "': expected a JDBC URL "
                                + "(jdbc:postgresql://host:5432/est4j)");
                    }
                    url = Optional.of(value);
                }
                case "store.jdbc-user" -> user = Optional.of(required(source, key, value, "a database user name"));
                case "store.jdbc-password-file" -> passwordFile = Optional.of(required(source, key, value, "a file name"));
                case "store.jdbc-password-env" -> {
                    if (!ENV_NAME.matcher(value).matches()) {
                        throw new ConfigException(source.of(key) + ": '" + key + "' = '" + value + "': expected the name of an environment variable");
                    }
                    passwordEnv = Optional.of(value);
                }
                case "store.jdbc-password" -> throw new ConfigException(source.of(key) + ": '" + key + "': a password is never put in "
                        + Est4jConfig.FILE_NAME + " (nor in " + KeyGrammar.ENV_PREFIX + "* variables or "
                        + KeyGrammar.SYSTEM_PROPERTY_PREFIX + "* system properties); put it in a file (store.jdbc-password-file, "
                        + "mode 0600) or an environment variable named by store.jdbc-password-env");
                default -> throw new ConfigException(source.of(key) + ": unknown key '" + key + "' ("
                        + String.join(", ", KeyGrammar.STORE.stream().filter(k -> !k.equals("store.jdbc-password")).toList()) + ")");
            }
        }
        if (passwordFile.isPresent() && passwordEnv.isPresent()) {
            throw new ConfigException(source.of("store.jdbc-password-file", "store.jdbc-password-env") + ": set one of 'store.jdbc-password-file' and 'store.jdbc-password-env'");
        }
        return new StoreSettings(type, dataSource, url, user, passwordFile, passwordEnv);
    }

    private static String required(ConfigOrigins source, String key, String value, String expected) {
        if (value.isEmpty()) {
            throw new ConfigException(source.of(key) + ": '" + key + "' is empty: expected " + expected);
        }
        return value;
    }
}
