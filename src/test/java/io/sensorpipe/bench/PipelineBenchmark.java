package io.sensorpipe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.sensorpipe.loadgen.LoadGenerator;
import io.sensorpipe.packaged.PackagedPipeline;
import io.sensorpipe.packaged.ServicesUnderTest;
import io.sensorpipe.testdata.SyntheticSensorFile;

/**
 * The performance benchmark ({@code ./mvnw -Pbench verify}; not part of the normal test run). On one
 * broker and one PostgreSQL, for each run: the reference pipeline ({@link ReferencePipeline}) and the
 * packaged application each take the same kind of 1,000,000-row file (distinct content per run, so
 * nothing is a duplicate), then the application takes 2,000 files of 100 rows, then a fresh instance a
 * backlog of 10,000 files of 50 rows dropped at once; finally, once, one
 * large file (2 GB by default) with the same small heap. Figures: rows/s from the file appearing in
 * {@code data/} to its rows and metrics committed ({@code LOADED}), files/s likewise for the whole set,
 * start-up from launch to the first poll, peak RSS. Both sides first process a warm-up file of the same
 * kind ({@code warm-up-rows}), so that the 1M-row file meets them warm, as a long-running service would;
 * the warm-up file's own rows/s are reported too, as the first file after start. Medians over the runs go to
 * {@code target/bench/results.md} and {@code results.png}.
 * <p>
 * Settings ({@code -Dbench.x=...}): {@code runs} (3), {@code rows} (1000000), {@code sensors} (50),
 * {@code invalid-share} (0.01), {@code small-files} (2000), {@code small-rows} (100), {@code warm-up-rows} (3000000),
 * {@code uploads} (1000; 0 skips the upload stress test), {@code upload-clients} (64),
 * {@code large-gb} (2; 0 skips it), {@code backlog-files} (10000; 0 skips it), {@code backlog-rows} (50),
 * {@code backlog-only} (false), {@code xmx} (256m), {@code poll} (500ms), {@code jvm-options} (for both
 * JVMs; {@code -XX:+UseParallelGC}, as the container image), {@code app-options} (more
 * options for the application's JVM, e.g. {@code -XX:StartFlightRecording=filename=app.jfr}).
 * <p>
 * It asserts only that every row was loaded or quarantined as the generator says: a benchmark that
 * loses rows measures nothing. Timings are reported, never asserted.
 */
class PipelineBenchmark {

    private static final Path WORK = Path.of("target", "bench").toAbsolutePath();
    private static final String TRUNCATE = "TRUNCATE reading, sensor_site, ingest_file CASCADE";

    private final int runs = Integer.getInteger("bench.runs", 3);
    private final long rows = Long.getLong("bench.rows", 1_000_000);
    private final int sensors = Integer.getInteger("bench.sensors", 50);
    private final double invalidShare = Double.parseDouble(System.getProperty("bench.invalid-share", "0.01"));
    private final int smallFiles = Integer.getInteger("bench.small-files", 2000);
    private final int smallRows = Integer.getInteger("bench.small-rows", 100);
    private final double largeGb = Double.parseDouble(System.getProperty("bench.large-gb", "2"));
    private final String xmx = System.getProperty("bench.xmx", "256m");
    private final String poll = System.getProperty("bench.poll", "500ms");
    /** Rows of a file each side processes first, untimed, so that both are measured warm (0: cold). */
    private final long warmUpRows = Long.getLong("bench.warm-up-rows", 3_000_000);
    /** Options for both JVMs, the application's and the reference's: the collector the image uses. */
    private final String jvmOptions = System.getProperty("bench.jvm-options", "-XX:+UseParallelGC");
    /** A backlog: files waiting at once (after an outage, say), taken by a freshly started application. */
    private final int backlogFiles = Integer.getInteger("bench.backlog-files", 10_000);
    private final int backlogRows = Integer.getInteger("bench.backlog-rows", 50);
    /** Only the backlog measurement (one per run), e.g. to check memory quickly. */
    private final boolean backlogOnly = Boolean.getBoolean("bench.backlog-only");
    private final int uploads = Integer.getInteger("bench.uploads", 1000);
    private final int uploadClients = Integer.getInteger("bench.upload-clients", 64);
    private static final String UPLOAD_TOKEN = "bench-upload-token";
    /** Extra options for the application's JVM, e.g. a flight recording to profile it. */
    private final String appOptions = System.getProperty("bench.app-options", "");

    private final BenchReport report = new BenchReport();
    private final String bigFile = rows % 1_000_000 == 0 ? rows / 1_000_000 + "M-row file" : rows + "-row file";

    @Test
    void measure() throws Exception {
        int invalidEvery = invalidShare <= 0 ? 0 : (int) Math.round(1 / invalidShare);
        Path inputs = Files.createDirectories(WORK.resolve("inputs"));
        try (ServicesUnderTest services = new ServicesUnderTest(WORK.resolve("services"))) {
            createReferenceTable(services);
            for (int run = 1; run <= runs; run++) {
                if (backlogOnly) {
                    backlog(services, inputs, run, invalidEvery);
                    System.out.println(report.markdown());
                    continue;
                }
                Path big = inputs.resolve("big-" + run + ".csv");
                SyntheticSensorFile.Expected expected = new SyntheticSensorFile(sensors, rows, invalidEvery, 0, run)
                        .writeTo(big);
                Path warmUp = null;
                if (warmUpRows > 0) {
                    warmUp = inputs.resolve("warm-up-" + run + ".csv");
                    new SyntheticSensorFile(sensors, warmUpRows, invalidEvery, 0, 1000 + run).writeTo(warmUp);
                }
                reference(services, run, big, expected, warmUp);
                List<Path> small = smallFiles(inputs.resolve("small-" + run), run, invalidEvery);
                application(services, run, big, expected, small, warmUp);
                backlog(services, inputs, run, invalidEvery);
                System.out.println(report.markdown());
            }
            if (largeGb > 0 && !backlogOnly) {
                large(services, inputs, invalidEvery);
            }
        }
        report.note(String.format(Locale.ROOT, "Machine: %d cores; broker, PostgreSQL, the application (or the"
                + " reference) and this harness share them. Application and reference JVMs: -Xmx%s %s. Poll interval %s."
                + " Warm-up file before the timed one: %,d rows on each side.",
                Runtime.getRuntime().availableProcessors(), xmx, jvmOptions, poll, warmUpRows));
        report.note(String.format(Locale.ROOT, "Input: Sofia-shaped bme280 rows, %d sensors, %.1f %% invalid rows.",
                sensors, invalidShare * 100));
        if (backlogOnly) {
            System.out.println(report.markdown());
            return;
        }
        List<BenchReport.Bar> rowBars = List.of(
                new BenchReport.Bar("reference", report.get("Reference, " + bigFile), 0, ""),
                new BenchReport.Bar("sensorpipe", report.get("Sensorpipe, " + bigFile),
                        0.8 * report.get("Reference, " + bigFile).median(), "0.8x reference"));
        List<BenchReport.Bar> fileBars = List.of(new BenchReport.Bar("sensorpipe",
                report.get("Sensorpipe, " + smallFiles + " files of " + smallRows + " rows"), 100, "target 100"));
        report.write(WORK, bigFile + ": rows/s (bar = median, dots = runs)", rowBars, fileBars);
        System.out.println(report.markdown());
    }

    private void reference(ServicesUnderTest services, int run, Path big, SyntheticSensorFile.Expected expected,
            Path warmUp) throws Exception {
        try (Connection c = services.db.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE " + ReferencePipeline.TABLE);
        }
        String topic = "reference-" + run;
        services.kafka.createTopic(topic);
        services.kafka.createTopic(topic + "-warm-up");
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = WORK.resolve("reference-" + run + ".log");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + xmx));
        command.addAll(options(jvmOptions));
        command.addAll(List.of("-cp", classpath, ReferencePipeline.class.getName(), big.toString(),
                services.kafka.bootstrapServers(), services.postgres.jdbcUrl(), topic, Integer.toString(run)));
        if (warmUp != null) {
            command.add(warmUp.toString());
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        double brokerCpu = PeakRss.cpuSeconds(ProcessHandle.current().pid());
        double[] referenceCpu = new double[1];
        try (PeakRss rss = new PeakRss(process.pid())) {
            // Its own CPU time, read just before it exits (it waits for its input to close).
            while (!process.waitFor(50, TimeUnit.MILLISECONDS)) {
                referenceCpu[0] = Math.max(referenceCpu[0], PeakRss.cpuSeconds(process.pid()));
            }
            report.add("Reference peak RSS", "MB", rss.megabytes());
        }
        String out = Files.readString(log);
        assertEquals(0, process.exitValue(), out);
        if (warmUp != null) {
            String first = out.lines().filter(l -> l.startsWith("warm-up rows=")).findFirst().orElseThrow();
            report.add("Reference, " + warmUpFile(), "rows/s",
                    warmUpRows * 1000.0 / Long.parseLong(first.replaceAll(".*millis=(\\d+).*", "$1")));
        }
        String result = out.lines().filter(l -> l.startsWith("rows=")).findFirst().orElseThrow();
        long valid = Long.parseLong(result.replaceAll(".*valid=(\\d+).*", "$1"));
        long millis = Long.parseLong(result.replaceAll(".*millis=(\\d+).*", "$1"));
        assertEquals(expected.rowsValid(), valid, "reference rows loaded");
        report.add("Reference, " + bigFile, "rows/s", rows * 1000.0 / millis);
        report.add("CPU of the reference process (start-up, warm-up file and the " + bigFile + ")", "s",
                referenceCpu[0]);
        report.add("CPU for the " + bigFile + ": broker (and this harness), reference run", "s",
                PeakRss.cpuSeconds(ProcessHandle.current().pid()) - brokerCpu);

    }

    private void application(ServicesUnderTest services, int run, Path big, SyntheticSensorFile.Expected expected,
            List<Path> small, Path warmUp) throws Exception {
        try (Connection c = services.db.getConnection(); Statement st = c.createStatement()) {
            // Each run on empty tables, as the reference; the schema (Flyway) stays.
            st.execute("DO $$ BEGIN IF to_regclass('ingest_file') IS NOT NULL THEN " + TRUNCATE + "; END IF; END $$");
        }
        try (PackagedPipeline app = services.pipeline(WORK, "app-" + run)) {
            configure(app);
            Path probe = Files.createDirectories(app.dataDir()).resolve("probe-" + run + ".csv");
            Files.writeString(probe, "sensor_id,location,lat,lon,timestamp,pressure,temperature,humidity\n"
                    + run + ",1,42.6,23.3,2017-07-01T00:00:00,93000.00,20.00,50.00\n");
            long launched = System.nanoTime();
            app.start();
            try (PeakRss rss = new PeakRss(app.pid())) {
                awaitRow(services, app, "SELECT count(*) FROM ingest_file WHERE file_name = ?", probe.getFileName().toString(), 1);
                report.add("Sensorpipe start-up to first poll", "s", (System.nanoTime() - launched) / 1e9);
                awaitLoaded(services, app, probe.getFileName().toString());
                if (warmUp != null) {
                    Path copy = Files.copy(warmUp, warmUp.resolveSibling("app-" + warmUp.getFileName()));
                    long warmUpStarted = moveIn(List.of(copy), app.dataDir());
                    awaitLoaded(services, app, copy.getFileName().toString());
                    report.add("Sensorpipe, " + warmUpFile(), "rows/s",
                            warmUpRows / ((System.nanoTime() - warmUpStarted) / 1e9));
                }

                double appCpu = PeakRss.cpuSeconds(app.pid());
                double brokerCpu = PeakRss.cpuSeconds(ProcessHandle.current().pid());
                double postgresCpu = PeakRss.postgresCpuSeconds();
                long started = moveIn(List.of(big), app.dataDir());
                awaitLoaded(services, app, big.getFileName().toString());
                double seconds = (System.nanoTime() - started) / 1e9;
                report.add("Sensorpipe, " + bigFile, "rows/s", rows / seconds);
                report.add("CPU for the " + bigFile + ": application", "s", PeakRss.cpuSeconds(app.pid()) - appCpu);
                report.add("CPU for the " + bigFile + ": broker (and this harness)", "s",
                        PeakRss.cpuSeconds(ProcessHandle.current().pid()) - brokerCpu);
                report.add("CPU for the " + bigFile + ": PostgreSQL", "s", PeakRss.postgresCpuSeconds() - postgresCpu);
                checkBooks(services, big.getFileName().toString(), expected);
                loaderFigures(app.metrics());

                long smallStarted = moveIn(small, app.dataDir());
                awaitRow(services, app, "SELECT count(*) FROM ingest_file WHERE status = 'LOADED' AND file_name LIKE ?",
                        "small-" + run + "-%", small.size());
                report.add("Sensorpipe, " + smallFiles + " files of " + smallRows + " rows", "files/s",
                        small.size() / ((System.nanoTime() - smallStarted) / 1e9));
                uploads(services, app, run);
                report.add("Sensorpipe peak RSS", "MB", rss.megabytes());
            }
            report.add("Ratio sensorpipe / reference, " + bigFile, "x",
                    last("Sensorpipe, " + bigFile) / last("Reference, " + bigFile));
            if (warmUp != null) {
                report.add("Ratio sensorpipe / reference, " + warmUpFile(), "x",
                        last("Sensorpipe, " + warmUpFile()) / last("Reference, " + warmUpFile()));
            }
        }
    }

    /**
     * The stress test of {@code POST /ingest}: {@code uploads} uploads of {@code small-rows} rows from
     * {@code upload-clients} concurrent clients (the load generator), 1 % of them sent again (retries),
     * some with invalid rows. Every upload must be answered, each content taken once (one 202, every copy a
     * 200 naming it), every row loaded or quarantined once. Figures: uploads answered per second and
     * their latency, and uploads per second from the first sent to the last LOADED (as the folder's
     * files/s is from the move to the last LOADED).
     */
    private void uploads(ServicesUnderTest services, PackagedPipeline app, int run) throws Exception {
        if (uploads <= 0) {
            return;
        }
        String prefix = "upload-" + run;
        long started = System.nanoTime();
        LoadGenerator.Report sent = new LoadGenerator(new LoadGenerator.Options(app.url("/ingest").toString(),
                UPLOAD_TOKEN, uploads, Duration.ZERO, 0, smallRows, 5, invalidShare, 0.01, uploadClients, 500 + run,
                prefix)).run();
        Map<String, Long> taken = new java.util.HashMap<>();
        long rowsExpected = 0;
        for (LoadGenerator.Sent s : sent.sent()) {
            if (s.status() == 202) {
                assertEquals(null, taken.put(s.name(), LoadGenerator.number(s.answer(), "id")), "taken once: " + s);
                rowsExpected += s.expected().rowsTotal();
            } else {
                assertEquals(200, s.status(), "every upload answered 202 or, for a copy, 200: " + s);
            }
        }
        for (LoadGenerator.Sent s : sent.sent()) {
            if (s.status() == 200) {
                assertEquals(taken.get(s.name()), LoadGenerator.number(s.answer(), "duplicate_of"), s.toString());
            }
        }
        awaitRow(services, app, "SELECT count(*) FROM ingest_file WHERE status = 'LOADED' AND file_name LIKE ?",
                prefix + "-%", taken.size());
        double seconds = (System.nanoTime() - started) / 1e9;
        try (Connection c = services.db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sum(rows_total), sum(rows_loaded + rows_quarantined) FROM ingest_file WHERE file_name LIKE ?"
                        + " AND status = 'LOADED'")) {
            ps.setString(1, prefix + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(rowsExpected, rs.getLong(1), "every row of every upload read once");
                assertEquals(rowsExpected, rs.getLong(2), "every row loaded or quarantined");
            }
        }
        String label = String.format(Locale.ROOT, "Sensorpipe, %,d uploads of %d rows from %d clients", uploads,
                smallRows, uploadClients);
        report.add(label + ": answered", "uploads/s", sent.filesPerSecond());
        report.add(label + ": to the last LOADED", "uploads/s", sent.sent().size() / seconds);
        report.add(label + ": latency p50", "ms", sent.latencyMillis(50));
        report.add(label + ": latency p99", "ms", sent.latencyMillis(99));
        System.out.println("uploads: " + sent.summary());
    }

    /**
     * {@code backlog-files} files of {@code backlog-rows} rows moved into {@code data/} at once, taken by
     * an application just started with the same small heap: files/s from the move to the last
     * {@code LOADED}, and the peak RSS meanwhile.
     */
    private void backlog(ServicesUnderTest services, Path inputs, int run, int invalidEvery) throws Exception {
        if (backlogFiles <= 0) {
            return;
        }
        Path dir = Files.createDirectories(inputs.resolve("backlog-" + run));
        List<Path> files = new ArrayList<>(backlogFiles);
        for (int i = 0; i < backlogFiles; i++) {
            Path file = dir.resolve("backlog-" + run + "-" + i + ".csv");
            new SyntheticSensorFile(5, backlogRows, invalidEvery, 0, run * 10_000_000L + i).writeTo(file);
            files.add(file);
        }
        try (Connection c = services.db.getConnection(); Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN IF to_regclass('ingest_file') IS NOT NULL THEN " + TRUNCATE + "; END IF; END $$");
        }
        try (PackagedPipeline app = services.pipeline(WORK, "app-backlog-" + run)) {
            configure(app);
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(2));
            try (PeakRss rss = new PeakRss(app.pid())) {
                long started = moveIn(files, Files.createDirectories(app.dataDir()));
                awaitRow(services, app, "SELECT count(*) FROM ingest_file WHERE status = 'LOADED' AND file_name LIKE ?",
                        "backlog-" + run + "-%", files.size());
                String label = String.format(Locale.ROOT, "Sensorpipe, backlog of %,d files of %d rows", backlogFiles,
                        backlogRows);
                report.add(label, "files/s", files.size() / ((System.nanoTime() - started) / 1e9));
                report.add(label + ": peak RSS", "MB", rss.megabytes());
                report.add(label + ": OutOfMemoryError in the log", "", app.logLines("OutOfMemoryError"));
            }
        }
    }

    private void large(ServicesUnderTest services, Path inputs, int invalidEvery) throws Exception {
        // About 66 bytes per generated row.
        long largeRows = (long) (largeGb * (1L << 30) / 66);
        Path file = inputs.resolve("large.csv");
        SyntheticSensorFile.Expected expected = new SyntheticSensorFile(sensors, largeRows, invalidEvery, 0, 99)
                .writeTo(file);
        double gib = Files.size(file) / (double) (1L << 30);
        try (Connection c = services.db.getConnection(); Statement st = c.createStatement()) {
            st.execute(TRUNCATE);
        }
        try (PackagedPipeline app = services.pipeline(WORK, "app-large")) {
            configure(app);
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(2));
            try (PeakRss rss = new PeakRss(app.pid())) {
                long started = moveIn(List.of(file), app.dataDir());
                awaitLoaded(services, app, file.getFileName().toString());
                double seconds = (System.nanoTime() - started) / 1e9;
                checkBooks(services, file.getFileName().toString(), expected);
                report.note(String.format(Locale.ROOT, "Large file: %.2f GiB, %,d rows, loaded with -Xmx%s in %.0f s"
                        + " (%,.0f rows/s), peak RSS %.0f MB, no OutOfMemoryError (%d in the log).", gib, largeRows,
                        xmx, seconds, largeRows / seconds, rss.megabytes(), app.logLines("OutOfMemoryError")));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** What the loader's own meters say about the batches of the big file (and the probe). */
    private void loaderFigures(String scrape) {
        double batches = sample(scrape, "sensorpipe_loader_batch_size_rows_count");
        report.add("Loader batch, mean", "rows", sample(scrape, "sensorpipe_loader_batch_size_rows_sum") / batches);
        report.add("Loader insert + commit, mean per batch", "ms",
                1000 * sample(scrape, "sensorpipe_loader_insert_seconds_sum") / batches);
    }

    private static double sample(String scrape, String name) {
        return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(Double.NaN);
    }

    private void configure(PackagedPipeline app) {
        app.jvmOptions("-Xmx" + xmx);
        app.jvmOptions(options(jvmOptions).toArray(String[]::new));
        app.jvmOptions(options(appOptions).toArray(String[]::new));
        app.env("PIPELINE_POLL_INTERVAL", poll);
        app.env("PIPELINE_READ_LOCK_INTERVAL", "1s");
        app.env("PIPELINE_WATCH_INTERVAL", "2s");
        app.env("QUARKUS_LOG_LEVEL", "INFO");
        app.env("PIPELINE_INGEST_ENABLED", "true");
        app.env("PIPELINE_INGEST_TOKENS", UPLOAD_TOKEN);
        app.env("PIPELINE_INGEST_MAX_IN_FLIGHT", Integer.toString(uploadClients));
    }

    private String warmUpFile() {
        return String.format(Locale.ROOT, "%,d-row warm-up file, first after start", warmUpRows);
    }

    private static List<String> options(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private List<Path> smallFiles(Path dir, int run, int invalidEvery) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>(smallFiles);
        for (int i = 0; i < smallFiles; i++) {
            Path file = dir.resolve("small-" + run + "-" + i + ".csv");
            new SyntheticSensorFile(5, smallRows, invalidEvery, 0, run * 1_000_000L + i).writeTo(file);
            files.add(file);
        }
        return files;
    }

    /** Moves the files into {@code data/} (each appears whole); returns when the first appeared. */
    private static long moveIn(List<Path> files, Path dataDir) throws IOException {
        long first = System.nanoTime();
        for (Path file : files) {
            Files.move(file, dataDir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        return first;
    }

    private static void awaitLoaded(ServicesUnderTest services, PackagedPipeline app, String name) throws Exception {
        awaitRow(services, app, "SELECT count(*) FROM ingest_file WHERE status = 'LOADED' AND file_name = ?", name, 1);
    }

    /** Polls until {@code sql} (one text parameter) counts {@code count}. */
    private static void awaitRow(ServicesUnderTest services, PackagedPipeline app, String sql, String parameter,
            long count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(60);
        try (Connection c = services.db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            while (true) {
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) >= count) {
                        return;
                    }
                } catch (SQLException e) {
                    // not yet: the schema appears with the application's first start
                }
                assertTrue(app.alive(), "the application exited; see its log under " + WORK);
                assertTrue(System.nanoTime() < deadline, "waited an hour for: " + sql + " " + parameter);
                Thread.sleep(20);
            }
        }
    }

    private static void checkBooks(ServicesUnderTest services, String name, SyntheticSensorFile.Expected expected)
            throws SQLException {
        try (Connection c = services.db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT f.rows_total, f.rows_loaded, f.rows_quarantined,"
                        + " (SELECT count(*) FROM raw_sensor_data r WHERE r.file_id = f.id)"
                        + " FROM ingest_file f WHERE f.file_name = ? AND f.status = 'LOADED'")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), name + " is LOADED");
                assertEquals(expected.rowsTotal(), rs.getLong(1), name + " rows_total");
                assertEquals(expected.rowsValid(), rs.getLong(2), name + " rows_loaded");
                assertEquals(expected.rowsInvalid(), rs.getLong(3), name + " rows_quarantined");
                assertEquals(expected.rowsValid(), rs.getLong(4), name + " rows in raw_sensor_data");
            }
        }
    }

    private static void createReferenceTable(ServicesUnderTest services) throws SQLException {
        try (Connection c = services.db.getConnection(); Statement st = c.createStatement()) {
            // A schema of its own: the application's Flyway wants "public" to itself.
            st.execute("CREATE SCHEMA IF NOT EXISTS reference");
            st.execute("CREATE TABLE IF NOT EXISTS " + ReferencePipeline.TABLE + " (file_id bigint NOT NULL,"
                    + " line_number bigint NOT NULL, sensor_id bigint NOT NULL, location_id bigint, lat double precision,"
                    + " lon double precision, measured_at timestamptz NOT NULL, pressure_hpa double precision,"
                    + " temperature_c double precision, humidity_pct double precision, pm10_ugm3 double precision,"
                    + " pm25_ugm3 double precision, PRIMARY KEY (file_id, line_number))");
        }
    }

    private double last(String name) {
        List<Double> values = report.get(name).runs();
        return values.get(values.size() - 1);
    }
}
