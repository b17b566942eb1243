package io.sensorpipe.packaged;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}, built by {@code package}
 * before the integration tests run) as a child process, against the test's broker and database.
 * Each start writes its own log under the work folder.
 */
public final class PackagedPipeline implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    /**
     * Fails (never skips) when the packaged application is missing: the packaged tests run in the
     * integration-test phase, after {@code package}, and a missing jar is a broken build, not a pass.
     */
    public static void requireJar() {
        org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.isRegularFile(JAR), JAR.toAbsolutePath()
                + " is not built: the packaged tests run with ./mvnw verify, after the package phase");
    }

    private final Path work;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Path> logs = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Process process;

    public PackagedPipeline(Path work, String bootstrapServers, String jdbcUrl, String topic) throws IOException {
        this.work = Files.createDirectories(work.toAbsolutePath());
        this.httpPort = freePort();
        env.put("PIPELINE_DATA_DIR", dataDir().toString());
        env.put("PIPELINE_QUARANTINE_DIR", quarantineDir().toString());
        env.put("PIPELINE_POLL_INTERVAL", "200ms");
        env.put("PIPELINE_READ_LOCK_INTERVAL", "200ms");
        env.put("PIPELINE_WATCH_INTERVAL", "500ms");
        env.put("PIPELINE_TOPIC_READINGS", topic);
        env.put("PIPELINE_TOPIC_DEAD_LETTERS", topic + ".dlq");
        env.put("PIPELINE_LOADER_GROUP_ID", topic + "-loader");
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
    }

    /** One of the application's settings as given to it (an environment variable), or null. */
    public String env(String name) {
        return env.get(name);
    }

    /** Overrides one of the application's settings (an environment variable) from the next start on. */
    public void env(String name, String value) {
        env.put(name, value);
    }

    /** Options for the application's JVM from the next start on, e.g. a JMX port. */
    public void jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
    }

    public Path dataDir() {
        return work.resolve("data");
    }

    public Path quarantineDir() {
        return work.resolve("quarantine");
    }

    public void start() throws IOException {
        Path log = work.resolve("app-" + (logs.size() + 1) + ".log");
        logs.add(log);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** {@code kill -9}: no shutdown hook, no flush, nothing finished. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** An address on the application's HTTP port. */
    public URI url(String pathAndQuery) {
        return URI.create("http://localhost:" + httpPort + pathAndQuery);
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** The Prometheus scrape of {@code /q/metrics}, or an empty text when nothing answers. */
    public String metrics() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** HTTP status of {@code /q/health/ready}, or -1 when nothing answers. */
    public int readiness() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public void awaitReadiness(int status, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!alive()) {
                throw new AssertionError("the application exited: see " + logs.get(logs.size() - 1));
            }
            return readiness() == status;
        });
    }

    /** Every line of every log of this application whose text contains {@code needle}. */
    /** The log lines containing {@code needle}. */
    public List<String> linesWith(String needle) throws IOException {
        List<String> found = new java.util.ArrayList<>();
        for (Path log : logs) {
            try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                lines.filter(l -> l.contains(needle)).forEach(found::add);
            }
        }
        return found;
    }

    public long logLines(String needle) throws IOException {
        long count = 0;
        for (Path log : logs) {
            try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                count += lines.filter(l -> l.contains(needle)).count();
            }
        }
        return count;
    }

    /** Sends SIGTERM and waits up to {@code atMost}; whether the process ended. */
    public boolean stop(Duration atMost) throws InterruptedException {
        process.destroy();
        return process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
