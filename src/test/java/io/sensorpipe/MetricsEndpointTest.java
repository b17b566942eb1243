package io.sensorpipe;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.IngestFiles;

/** {@code /q/metrics} in Prometheus format, scraped over HTTP after a real file went through. */
@QuarkusTest
class MetricsEndpointTest {

    @Inject
    PipelineConfig config;

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    private final HttpClient http = HttpClient.newHttpClient();

    private List<String> scrape() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body().lines().filter(l -> !l.startsWith("#")).toList();
    }

    /** The value of the first sample whose line starts with {@code prefix}, or -1. */
    private static double value(List<String> samples, String prefix) {
        return samples.stream().filter(l -> l.startsWith(prefix)).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).orElse(-1.0);
    }

    private static final List<String> COUNTED = List.of("sensorpipe_rows_read_total", "sensorpipe_rows_loaded_total",
            "sensorpipe_rows_rejected_total",
            "sensorpipe_rejections_total{field=\"temperature\",rule=\"range\"}",
            "sensorpipe_loader_batch_size_rows_count", "sensorpipe_loader_batch_size_rows_sum",
            "sensorpipe_loader_insert_seconds_count");

    /** What one file of 10 rows, one out of range, adds to each counter: one batch of 9 rows. */
    private static final List<Double> DELTAS = List.of(10.0, 9.0, 1.0, 1.0, 1.0, 9.0, 1.0);

    private static List<Double> deltas(List<String> before, List<String> after) {
        return COUNTED.stream().map(sample -> Math.max(0, value(after, sample)) - Math.max(0, value(before, sample)))
                .toList();
    }

    @Test
    void pipelineAndRouteMetricsArePublishedInPrometheusFormat() throws Exception {
        long salt = System.nanoTime();
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 10; i++) {
            csv.append(i == 3 ? "2040,1025,42.686,23.351,2017-07-01T00:00:09,94000,-145.12,50.0"
                    : Csv.bme280Row(salt % 100_000, i)).append('\n');
        }
        String name = "metrics-" + salt + ".csv";
        List<String> before = scrape();
        Path dataDir = Files.createDirectories(Path.of(config.dataDir()));
        Files.writeString(dataDir.resolve(name + ".part"), csv);
        Files.move(dataDir.resolve(name + ".part"), dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        new IngestFiles(dataSource).awaitFinished(name);

        List<String> samples = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            samples.clear();
            samples.addAll(scrape());
            assertEquals(DELTAS, deltas(before, samples), COUNTED.toString());
        });
        // A gauge of the whole database, not a counter of this test: it must catch up with SQL.
        IngestFiles files = new IngestFiles(dataSource);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(
                (double) files.count("SELECT count(*) FROM ingest_file WHERE status = 'LOADED' AND id > ?", 0),
                value(scrape(), "sensorpipe_files{status=\"LOADED\"}"), "files per status, as SQL counts them"));
        // Every record of the readings topic is committed by the loader once it is idle: no lag.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(0.0,
                value(scrape(), "sensorpipe_loader_lag_records"), "consumer lag of the loader"));
        // The age of the oldest input file waiting in the data folder, as the folder says at that moment.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals((double) oldestWaitingSeconds(dataDir),
                value(scrape(), "sensorpipe_data_oldest_waiting_seconds"), "age of the oldest waiting file"));
        // Every metric the Grafana dashboard queries is published, with the labels it groups and names by.
        com.fasterxml.jackson.databind.JsonNode dashboard = Json.MAPPER.readTree(MonitoringFilesTest.DASHBOARD.toFile());
        List<String> published = scrape();
        List<String> missing = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> {
            String query = target.path("expr").asText();
            java.util.Set<String> labels = new java.util.TreeSet<>(MonitoringFilesTest.labels(query));
            java.util.regex.Matcher legend = java.util.regex.Pattern.compile("\\{\\{(\\w+)}}")
                    .matcher(target.path("legendFormat").asText());
            while (legend.find()) {
                labels.add(legend.group(1));
            }
            for (String metric : MonitoringFilesTest.metrics(query)) {
                List<String> lines = published.stream().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                        .toList();
                if (lines.isEmpty()) {
                    missing.add(metric);
                }
                for (String label : labels) {
                    if (lines.stream().noneMatch(l -> l.contains("{" + label + "=\"") || l.contains("," + label + "=\""))) {
                        missing.add(metric + " by " + label);
                    }
                }
            }
        }));
        assertEquals(List.of(), missing, "queried by the dashboard, not in /q/metrics");
        List<String> routeSamples = samples.stream().filter(l -> l.startsWith("camel_") && l.contains("csv-intake"))
                .toList();
        assertTrue(routeSamples.stream().anyMatch(l -> l.startsWith("camel_exchanges_total")),
                "per-route exchange counts: " + routeSamples);
        assertTrue(routeSamples.stream().anyMatch(l -> l.contains("_seconds")), "per-route timings: " + routeSamples);
    }

    /** Seconds since the oldest input file in the folder last changed; 0 when none waits. */
    private static long oldestWaitingSeconds(Path dataDir) throws java.io.IOException {
        long oldest = Long.MAX_VALUE;
        try (var files = Files.list(dataDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file) && io.sensorpipe.intake.InputNames.isInput(file.getFileName().toString())) {
                    oldest = Math.min(oldest, Files.getLastModifiedTime(file).toMillis());
                }
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000);
    }
}
