package io.sensorpipe.ops.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.logging.Logger;

/**
 * A throwaway PostgreSQL server in a child process. Dev mode and tests share one, started once and
 * stopped when the JVM exits ({@link #datasourceProperties(Path)}); fault tests start their own and
 * stop and restart it on the same port and data directory.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    /** JVM-wide, so a dev-mode reload (new class loader) finds the running server. */
    private static final String RUNNING = "sensorpipe.embedded.postgres.jdbc-url";
    public static final String USER = "postgres";

    private final Path dataDir;
    private final int port;
    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    static synchronized Map<String, String> datasourceProperties(Path workDir) {
        String running = System.getProperty(RUNNING);
        if (running == null) {
            EmbeddedPostgres postgres = start(workDir.resolve("postgres-" + ProcessHandle.current().pid()));
            Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "embedded-postgres-shutdown"));
            running = postgres.jdbcUrl();
            System.setProperty(RUNNING, running);
        }
        // The embedded server trusts local connections; the password is not checked.
        return Map.of("quarkus.datasource.jdbc.url", running,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", USER);
    }

    /** Creates a new cluster in {@code dataDir} and starts it on a free port. */
    public static EmbeddedPostgres start(Path dataDir) {
        long start = System.nanoTime();
        try {
            Path dir = dataDir.toAbsolutePath();
            Files.createDirectories(dir.getParent());
            deleteRecursively(dir);
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            EmbeddedPostgres postgres = new EmbeddedPostgres(dir, port);
            postgres.restart();
            LOG.infof("Embedded PostgreSQL ready at %s in %d ms (psql -h localhost -p %d -U postgres)",
                    postgres.jdbcUrl(), (System.nanoTime() - start) / 1_000_000, port);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres?user=" + USER;
    }

    /** Starts the server (again) on its port and data directory, keeping the data. */
    public synchronized void restart() throws IOException {
        if (server == null) {
            server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
        }
    }

    /** Stops the server (fast shutdown: connections are cut), keeping its data directory. */
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Stops the server and deletes its data. */
    @Override
    public synchronized void close() {
        try {
            stop();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        }
        deleteRecursively(dataDir);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf(e, "could not delete %s", dir);
        }
    }
}
