package io.sensorpipe.routes;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import io.sensorpipe.intake.ContentHash;
import io.sensorpipe.intake.FileArrivals;
import io.sensorpipe.intake.FileClaims;
import io.sensorpipe.intake.FileSealer;
import io.sensorpipe.intake.IngestLedger;
import io.sensorpipe.intake.InputFiles;
import io.sensorpipe.intake.ReadsInProgress;
import io.sensorpipe.ops.embedded.EmbeddedPostgres;
import io.sensorpipe.support.Folders;
import io.sensorpipe.testdata.TestConfig;

/**
 * The production {@link IngestLedger} for route tests, on a real PostgreSQL: one embedded server for
 * the test JVM, migrated once by the application's Flyway scripts into a template, and a fresh
 * database copied from it for every ledger, so that no test sees another's files (the ledger knows a
 * content it has seen before).
 */
public final class LedgerDatabase {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private LedgerDatabase() {
    }

    private static synchronized String serverUrl() {
        if (server == null) {
            server = EmbeddedPostgres.start(Path.of("target", "route-tests", "postgres"));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "route-test-postgres-stop"));
            execute(source("postgres"), "CREATE DATABASE ledger_template");
            Flyway.configure().dataSource(source("ledger_template")).locations("classpath:db/migration").load()
                    .migrate();
        }
        return server.jdbcUrl();
    }

    private static PGSimpleDataSource source(String database) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setURL(server.jdbcUrl().replace("/postgres?", "/" + database + "?"));
        return source;
    }

    private static void execute(DataSource source, String sql) {
        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Stops the server: every database of it becomes unreachable, as in an outage. */
    static synchronized void stop() throws java.io.IOException {
        serverUrl();
        server.stop();
    }

    /** Starts the server again on its port, with its data. */
    static synchronized void restart() throws java.io.IOException {
        server.restart();
    }

    /** A new database with no schema at all, for migrating step by step. */
    public static DataSource empty() {
        serverUrl();
        String name = "empty_" + DATABASES.incrementAndGet();
        execute(source("postgres"), "CREATE DATABASE " + name + " TEMPLATE template0");
        return source(name);
    }

    /** A new database with the application's schema and no rows. */
    public static DataSource fresh() {
        serverUrl();
        String name = "ledger_" + DATABASES.incrementAndGet();
        execute(source("postgres"), "CREATE DATABASE " + name + " TEMPLATE ledger_template");
        return source(name);
    }

    /** The application's record of the input files picked up, its claims in {@code database}. */
    static InputFiles inputFiles(DataSource database, Path dataDir, org.apache.camel.CamelContext context) {
        return new InputFiles(TestConfig.pipeline(Map.of("pipeline.data-dir", dataDir.toString())),
                new FileClaims(database, context, Duration.ofSeconds(30)));
    }

    /** The application's ledger on {@code database}, for files in {@code dataDir}. */
    static IngestLedger ledger(DataSource database, Path dataDir) {
        return new IngestLedger(database, TestConfig.pipeline(Map.of("pipeline.data-dir", dataDir.toString())),
                folders(dataDir));
    }

    /** The quarantine folder beside {@code dataDir}, and its {@code .done}. */
    static Folders folders(Path dataDir) {
        return new Folders(dataDir.resolveSibling("quarantine"), dataDir.resolve(".done"));
    }

    /** The intake's {@code register-file} step: the file's content hashed, its arrival recorded in {@code ledger}. */
    static FileArrivals arrivals(IngestLedger ledger, InputFiles inputFiles, Path dataDir) {
        return new FileArrivals(ledger, inputFiles, new ReadsInProgress(),
                new ContentHash(Executors.newCachedThreadPool(), Duration.ofSeconds(60),
                        io.sensorpipe.intake.BoundedContent.Limits.NONE), folders(dataDir));
    }

    /** The intake's {@code seal-file} step, for files in {@code dataDir} (quarantine/ beside it). */
    static FileSealer sealer(DataSource database, Path dataDir, double maxRejectedPercent) {
        return new FileSealer(new io.sensorpipe.intake.ReadLedger(database), folders(dataDir),
                TestConfig.rules(), TestConfig.pipeline(Map.of("pipeline.data-dir", dataDir.toString(),
                        "pipeline.max-rejected-percent", Double.toString(maxRejectedPercent))));
    }
}
