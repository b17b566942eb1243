package io.sensorpipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The monitoring that {@code docker-compose.yml} runs beside the pipeline (Prometheus, Grafana with its
 * data source and dashboard provisioned, a Kafka UI): every file parses, and each refers to the others as
 * they are named there. Whether the dashboard's metrics exist is {@link MetricsEndpointTest}'s question.
 */
class MonitoringFilesTest {

    static final Path MONITORING = Path.of("src/main/docker/monitoring");
    static final Path DASHBOARD = MONITORING.resolve("grafana/dashboards/sensorpipe.json");

    @Test
    void composeRunsPrometheusGrafanaAndAKafkaUiWiredToThePipeline() throws IOException {
        Map<String, Object> services = map(yaml(Path.of("docker-compose.yml")), "services");
        for (String name : List.of("kafka", "postgres", "sensorpipe", "prometheus", "grafana", "kafka-ui")) {
            assertNotNull(services.get(name), "service " + name);
        }
        // Every file a service mounts is in the repository.
        Map<String, String> mounts = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            Object volumes = ((Map<?, ?>) service).get("volumes");
            for (Object volume : volumes == null ? List.of() : (List<?>) volumes) {
                String[] parts = volume.toString().split(":");
                if (parts[0].startsWith("./")) {
                    mounts.put(parts[1], parts[0]);
                }
            }
        });
        for (String host : mounts.values()) {
            if (!host.equals("./data") && !host.equals("./quarantine")) {
                assertTrue(Files.exists(Path.of(host)), "mounted into a container: " + host);
            }
        }

        // Prometheus scrapes the pipeline's service, on its HTTP port, at /q/metrics.
        Map<String, Object> prometheus = yaml(Path.of(mounts.get("/etc/prometheus/prometheus.yml")));
        Map<?, ?> job = (Map<?, ?>) ((List<?>) prometheus.get("scrape_configs")).get(0);
        assertEquals("/q/metrics", job.get("metrics_path"));
        List<?> targets = (List<?>) ((Map<?, ?>) ((List<?>) job.get("static_configs")).get(0)).get("targets");
        assertEquals(List.of("sensorpipe:8080"), targets, "the pipeline's service and HTTP port");
        assertTrue(((List<?>) map(services, "prometheus").get("depends_on")).contains("sensorpipe"));

        // Grafana: its data source is that Prometheus, and its dashboards provider reads the mounted folder.
        String provisioning = mounts.entrySet().stream().filter(e -> e.getKey().equals("/etc/grafana/provisioning"))
                .findFirst().orElseThrow().getValue();
        Map<?, ?> datasource = (Map<?, ?>) ((List<?>) yaml(Path.of(provisioning, "datasources/prometheus.yml"))
                .get("datasources")).get(0);
        assertEquals("http://prometheus:9090", datasource.get("url"));
        assertTrue(map(services, "prometheus").get("ports").toString().contains(":9090"), "Prometheus's port");
        Map<?, ?> provider = (Map<?, ?>) ((List<?>) yaml(Path.of(provisioning, "dashboards/sensorpipe.yml"))
                .get("providers")).get(0);
        String dashboards = (String) ((Map<?, ?>) provider.get("options")).get("path");
        assertNotNull(mounts.get(dashboards), "compose mounts nothing at the provider's folder " + dashboards);
        assertEquals(DASHBOARD.getParent().toString(), Path.of(mounts.get(dashboards)).normalize().toString(),
                "the provider's folder is where compose mounts the dashboards");

        // The dashboard parses, and every query of it asks that data source.
        JsonNode dashboard = Json.MAPPER.readTree(DASHBOARD.toFile());
        List<String> queries = queries(dashboard);
        assertFalse(queries.isEmpty());
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> assertEquals(
                datasource.get("uid"), target.path("datasource").path("uid").asText(), panel.path("title").asText())));

        // The Kafka UI reads the broker as the pipeline does, read-only, behind a login.
        Map<?, ?> ui = (Map<?, ?>) map(services, "kafka-ui").get("environment");
        assertEquals(map(services, "sensorpipe").get("environment") instanceof Map<?, ?> env
                ? env.get("KAFKA_BOOTSTRAP_SERVERS") : null, ui.get("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"));
        assertEquals("true", ui.get("KAFKA_CLUSTERS_0_READONLY"));
        assertEquals("LOGIN_FORM", ui.get("AUTH_TYPE"));
        // Nothing listens beyond loopback, and no password is written down.
        services.forEach((name, service) -> {
            Object ports = ((Map<?, ?>) service).get("ports");
            for (Object port : ports == null ? List.of() : (List<?>) ports) {
                assertTrue(port.toString().startsWith("127.0.0.1:"), name + " publishes " + port);
            }
        });
        assertTrue(Files.readString(Path.of("docker-compose.yml"))
                .lines().filter(l -> l.contains("PASSWORD:")).allMatch(l -> l.contains("${")), "passwords from the environment");
    }

    /** The PromQL expressions of the dashboard's panels. */
    static List<String> queries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(t -> queries.add(t.path("expr").asText())));
        return queries;
    }

    private static final Pattern METRIC = Pattern.compile("\\b((?:sensorpipe|camel)_[a-z0-9_]+)\\b");
    private static final Pattern BY = Pattern.compile("\\bby \\(([^)]*)\\)");

    /** The metric names a query reads. */
    static Set<String> metrics(String query) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(query);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The labels a query groups by (or shows in its legend). */
    static Set<String> labels(String query) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher m = BY.matcher(query);
        while (m.find()) {
            for (String label : m.group(1).split(",")) {
                labels.add(label.trim());
            }
        }
        return labels;
    }

    @Test
    void theQueriesNameTheirMetricsAndLabels() {
        assertEquals(Set.of("camel_exchanges_total"), metrics("sum by (routeId) (rate(camel_exchanges_total[5m])) * 60"));
        assertEquals(Set.of("routeId"), labels("sum by (routeId) (rate(camel_exchanges_total[5m])) * 60"));
        assertEquals(Set.of("sensorpipe_loader_insert_seconds_sum", "sensorpipe_loader_insert_seconds_count"),
                metrics("rate(sensorpipe_loader_insert_seconds_sum[5m]) / rate(sensorpipe_loader_insert_seconds_count[5m])"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }
}
