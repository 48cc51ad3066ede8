package org.est4j.war.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.List;
import java.util.zip.CRC32;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * One version of the store's schema: a SQL file next to this class ({@code V<n>__<what>.sql}), handed to Flyway by name.
 * Flyway then does what it is for (the history table, checksums, its lock when several instances start at once, one
 * transaction per version) without scanning the class path for migrations, which fails on WildFly's VFS class loader.
 * A new version is a new SQL file and a line in {@link #ALL}.
 */
final class SchemaMigration implements JavaMigration {

    /** Every version, oldest first. */
    static final List<SchemaMigration> ALL = List.of(
            new SchemaMigration("1", "shared state", "V1__shared_state.sql"),
            new SchemaMigration("2", "console search", "V2__console_search.sql"),
            new SchemaMigration("3", "ca key generations", "V3__ca_key_generations.sql"));

    private final MigrationVersion version;
    private final String description;
    private final String sql;

    private SchemaMigration(String version, String description, String resource) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
        try (InputStream in = SchemaMigration.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the application");
            }
            this.sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(resource + " cannot be read", e);
        }
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    @Override
    public String getDescription() {
        return description;
    }

    /** Of the SQL text: Flyway refuses to start on a database migrated by a version whose text differs. */
    @Override
    public Integer getChecksum() {
        CRC32 crc = new CRC32();
        crc.update(sql.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        // the PostgreSQL driver runs a script of several statements given at once, in the migration's transaction
        try (Statement s = context.getConnection().createStatement()) {
            s.execute(sql);
        }
    }
}
