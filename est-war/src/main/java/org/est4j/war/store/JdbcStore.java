package org.est4j.war.store;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import org.est4j.war.OneTimePasswordStore;
import org.est4j.war.config.ConfigException;
import org.est4j.war.config.StoreSettings;
import org.est4j.war.localca.ApprovalQueue;
import org.est4j.war.localca.CaRecords;
import org.est4j.war.localca.Revocations;
import org.est4j.war.packages.ReturnRecords;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Everything shared, in a PostgreSQL database that any number of est4j instances use at once: each row is committed
 * before anything that depends on it is confirmed, and uniqueness (serials, CRL numbers, one use of an approval or a
 * one-time password) is the database's constraint, not an instance's memory. Replication and failover are
 * PostgreSQL's; est4j adds no clustering of its own.
 *
 * <p>The schema is created and migrated by Flyway ({@link SchemaMigration}) when an instance opens the store; Flyway's
 * lock lets several instances start at once.
 */
public final class JdbcStore implements StateStore {

    private static final System.Logger LOG = System.getLogger(JdbcStore.class.getName());

    private final Database db;
    private final String description;
    private final OneTimePasswordStore oneTimePasswords;
    private final ReturnRecords returns;

    private JdbcStore(DataSource dataSource, String description) {
        this.db = new Database(dataSource);
        this.description = description;
        this.oneTimePasswords = new JdbcOneTimePasswords(db);
        this.returns = new JdbcReturns(db);
    }

    /**
     * Opens the store {@code settings} name: the container's DataSource by its JNDI name, or, where there is none (the
     * Admin command, a first start outside the container), a connection of its own to {@code store.jdbc-url}. Migrates
     * the schema to the current version.
     */
    public static JdbcStore open(StoreSettings settings, Path home) throws IOException {
        Optional<DataSource> container = lookup(settings.dataSource());
        JdbcStore store;
        if (container.isPresent()) {
            store = new JdbcStore(container.get(), "PostgreSQL through the container's DataSource " + settings.dataSource());
        } else if (settings.jdbcUrl().isPresent()) {
            String url = settings.jdbcUrl().get();
            String password = password(settings, home);
            DataSource own = Flyway.configure(JdbcStore.class.getClassLoader()).dataSource(url, settings.user().orElse(null), password)
                    .getDataSource();
            store = new JdbcStore(own, "PostgreSQL at " + url);
        } else {
            throw new ConfigException("est4j.properties: 'store' = 'jdbc', but no DataSource is bound to '" + settings.dataSource()
                    + "' (store.datasource) and 'store.jdbc-url' is not set");
        }
        store.migrate();
        return store;
    }

    private static Optional<DataSource> lookup(String name) {
        try {
            return Optional.of((DataSource) new InitialContext().lookup(name));
        } catch (NamingException | ClassCastException e) {
            return Optional.empty(); // not in a container, or nothing bound there
        }
    }

    private static String password(StoreSettings settings, Path home) throws IOException {
        if (settings.passwordFile().isPresent()) {
            Path file = home.resolve(settings.passwordFile().get());
            try {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ConfigException("est4j.properties: 'store.jdbc-password-file' names " + file + ", which cannot be read", e);
            }
        }
        if (settings.passwordEnv().isPresent()) {
            String value = System.getenv(settings.passwordEnv().get());
            if (value == null) {
                throw new ConfigException("est4j.properties: 'store.jdbc-password-env' names " + settings.passwordEnv().get()
                        + ", which is not set in the environment");
            }
            return value;
        }
        return null;
    }

    private void migrate() throws IOException {
        try {
            var result = Flyway.configure(JdbcStore.class.getClassLoader()).dataSource(db.dataSource()).locations(new String[0])
                    .javaMigrations(SchemaMigration.ALL.toArray(SchemaMigration[]::new)).table("est4j_schema_history").load().migrate();
            if (result.migrationsExecuted > 0) {
                LOG.log(System.Logger.Level.INFO, "est4j migrated the store''s schema to version {0} ({1} migration(s))",
                        result.targetSchemaVersion, result.migrationsExecuted);
            }
        } catch (FlywayException e) {
            throw new IOException("the store's schema could not be created or migrated: " + e.getMessage(), e);
        }
    }

    @Override
    public CaRecords openCa(String caName, Path caDirectory, X509Certificate caCertificate) throws IOException {
        return openCa(caName, caDirectory, caCertificate, 1);
    }

    @Override
    public CaRecords openCa(String caName, Path caDirectory, X509Certificate caCertificate, int generation) throws IOException {
        recordCaGeneration(caName, caCertificate, generation);
        return new CaRecords(new JdbcIssuedCertificates(db, caName), new JdbcRevocations(db, caName), new JdbcCrlArchive(db, caName),
                new JdbcApprovalQueue(db, caName), n -> new JdbcCrlArchive(db, JdbcCrlArchive.generationKey(caName, n)));
    }

    /** The newest key generation recorded for a CA, and the root recorded for the generation an instance holds (or null). */
    private record Recorded(int newest, byte[] der) {
    }

    /**
     * Records the CA's root under its name and key generation, or checks it against the one on record: every instance
     * must issue with the same CA key, else two CAs would share one name, one serial space and one CRL. An instance
     * holding an older generation than the newest recorded (another instance rolled the key over) is refused; a newer one
     * is recorded (this instance rolled it over).
     */
    @Override
    public void recordCaGeneration(String caName, X509Certificate caCertificate, int generation) throws IOException {
        byte[] mine;
        try {
            mine = caCertificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
        Recorded recorded = db.call("record the CA certificate", c -> {
            int newest = newestGeneration(c, caName);
            if (generation > newest) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO ca_key_generation (ca_name, generation, der, recorded_at) "
                        + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    s.setString(1, caName);
                    s.setInt(2, generation);
                    s.setBytes(3, mine);
                    s.setTimestamp(4, Database.timestamp(Instant.now()));
                    s.executeUpdate();
                }
                newest = newestGeneration(c, caName);
            }
            try (PreparedStatement s = c.prepareStatement("SELECT der FROM ca_key_generation WHERE ca_name = ? AND generation = ?")) {
                s.setString(1, caName);
                s.setInt(2, generation);
                try (ResultSet r = s.executeQuery()) {
                    return new Recorded(newest, r.next() ? r.getBytes(1) : null);
                }
            }
        });
        if (recorded.newest() > generation) {
            throw new IOException("local CA " + caName + ": this instance holds CA key generation " + generation + ", but another instance "
                    + "rolled the key over to generation " + recorded.newest() + ": copy ca/" + caName + "/ (generations.properties and "
                    + "generation-" + recorded.newest() + "/) from that instance before starting this one (docs/rollover.md)");
        }
        if (!Arrays.equals(mine, recorded.der())) {
            throw new IOException("local CA " + caName + ": the store holds another CA certificate under this name (another instance "
                    + "made its own CA): give every instance the same CA (the same PKCS#11 token, or copies of ca/" + caName
                    + "/ca-key.pem and ca.pem) before it first starts");
        }
    }

    private static int newestGeneration(java.sql.Connection c, String caName) throws java.sql.SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MAX(generation) FROM ca_key_generation WHERE ca_name = ?")) {
            s.setString(1, caName);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1); // 0 for none (SQL NULL)
            }
        }
    }

    @Override
    public Optional<X509Certificate> findIssued(String caName, BigInteger serial) throws IOException {
        return JdbcIssuedCertificates.find(db, caName, serial);
    }

    @Override
    public org.est4j.war.localca.IssuedCertificates.Page searchIssued(String caName, org.est4j.war.localca.IssuedCertificates.Query query)
            throws IOException {
        return JdbcIssuedCertificates.search(db, caName, query);
    }

    @Override
    public Revocations revocations(String caName) {
        return new JdbcRevocations(db, caName);
    }

    @Override
    public ApprovalQueue approvals(String caName) {
        return new JdbcApprovalQueue(db, caName);
    }

    @Override
    public OneTimePasswordStore oneTimePasswords() {
        return oneTimePasswords;
    }

    @Override
    public ReturnRecords packageReturns() {
        return returns;
    }

    @Override
    public void checkAvailable() throws IOException {
        db.call("answer", c -> {
            if (c.isReadOnly() || !c.isValid(2)) {
                throw new IOException("the database connection is read-only or not valid (a standby, or failing over)");
            }
            return null;
        });
    }

    Database database() {
        return db;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        // the container owns its DataSource; Flyway's own one opens a connection per call
    }
}
