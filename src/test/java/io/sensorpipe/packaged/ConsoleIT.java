package io.sensorpipe.packaged;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.IngestFiles;

/**
 * The consoles, as an operator opens them on the packaged pipeline. Plain JMX: Camel's route MBeans read
 * over a localhost-only RMI port from this (another) process, as JConsole or VisualVM would. Hawtio:
 * {@code bin/console <pid>} attaches a Jolokia agent and starts Hawtio, headless Chromium (Selenium) opens the
 * address the script prints; the Camel routes view must list every route of the pipeline with the
 * exchange count its MBean has, and the route diagram must draw. Screenshots go to
 * {@code target/console-it/}.
 * <p>
 * The browser test needs Debian's {@code chromium} and {@code chromium-driver}; skipped without them unless the
 * environment says {@code SENSORPIPE_BROWSER_TESTS=required} (CI does), which turns their absence into
 * a failure.
 */
class ConsoleIT {

    private static final Path WORK = Path.of("target", "console-it").toAbsolutePath();
    private static final Path TOOLS = Path.of("target", "console-tools");
    private static final Pattern CONSOLE_URL = Pattern.compile("Hawtio console .*: (http://\\S+)");
    private static final Pattern AGENT_URL = Pattern.compile("Jolokia agent: (http://\\S+)");
    private static final Pattern CREDENTIALS = Pattern.compile("Jolokia credentials .*: user (\\S+), password (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The ids of the steps drawn in a route diagram: a step's node shows its statistics under a line "id: X". */
    private static final String DRAWN_STEP_IDS = """
            return Array.from(document.querySelectorAll('svg g.node'))
                .map(n => /(?:^|\\n)id: (\\S+)/.exec(n.textContent)).filter(m => m).map(m => m[1]);""";

    /** One row of the Camel routes table: route id to the "Completed" column. */
    private static final String ROUTES_TABLE = """
            const table = Array.from(document.querySelectorAll('table'))
                .find(t => Array.from(t.querySelectorAll('th')).some(th => th.innerText.trim() === 'Completed'));
            if (!table) return null;
            const headers = Array.from(table.querySelectorAll('th')).map(th => th.innerText.trim());
            const name = headers.indexOf('Name'), completed = headers.indexOf('Completed');
            const rows = {};
            table.querySelectorAll('tbody tr').forEach(tr => {
              const cells = tr.querySelectorAll('td');
              if (cells.length > Math.max(name, completed)) {
                rows[cells[name].innerText.trim()] = cells[completed].innerText.trim();
              }
            });
            return rows;
            """;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ServicesUnderTest services;

    @BeforeAll
    static void services() {
        PackagedPipeline.requireJar();
        services = new ServicesUnderTest(WORK);
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    private static void requireBrowser() {
        HeadlessChromium.require();
        assertTrue(Files.exists(TOOLS.resolve("hawtio-app.jar")), "the console tools are copied before the ITs");
    }

    @Test
    void routeExchangeCountsAreReadableOverJmxFromAnotherProcess() throws Exception {
        int jmxPort = PackagedPipeline.freePort();
        try (PackagedPipeline app = services.pipeline(WORK, "jmx")) {
            app.jvmOptions("-Dcom.sun.management.jmxremote.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                    "-Djava.rmi.server.hostname=127.0.0.1",
                    "-Dcom.sun.management.jmxremote.authenticate=false",
                    "-Dcom.sun.management.jmxremote.ssl=false");
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            dropFile(app, "jmx.csv", 47, 3);
            assertEquals("LOADED", new IngestFiles(services.db).awaitFinished("jmx.csv").get("status"));

            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                Map<String, Long> completed = new TreeMap<>();
                for (ObjectName route : server.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null)) {
                    completed.put((String) server.getAttribute(route, "RouteId"),
                            (Long) server.getAttribute(route, "ExchangesCompleted"));
                }
                assertEquals(routesOfThePipeline(), completed.keySet(), "route MBeans");
                assertEquals(1, completed.get("csv-intake"), "the file's exchange: " + completed);
                assertEquals(3, completed.get("row-validation"),
                        "one exchange per rejected row (valid rows are checked a chunk at a time): " + completed);
                assertEquals(3, completed.get("row-quarantine"), "one exchange per rejected row: " + completed);
            }
        }
    }

    @Test
    void hawtioListsEveryRouteWithItsExchangeCountAndDrawsItsDiagram() throws Exception {
        requireBrowser();
        try (PackagedPipeline app = services.pipeline(WORK, "hawtio")) {
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            dropFile(app, "good.csv", 40, 0);
            dropFile(app, "mixed.csv", 30, 5);
            IngestFiles files = new IngestFiles(services.db);
            assertEquals("LOADED", files.awaitFinished("good.csv").get("status"));
            assertEquals("LOADED", files.awaitFinished("mixed.csv").get("status"));

            try (Console console = Console.start(app.pid());
                    HeadlessChromium browser = new HeadlessChromium(WORK.resolve("chromium"))) {
                assertEquals(401, console.agentStatusWithoutCredentials(), "the agent asks every caller for credentials");
                Map<String, Long> before = console.routeExchangesCompleted();
                assertEquals(routesOfThePipeline(), before.keySet(), "the route MBeans are the pipeline's routes");

                // As an operator would: the browser asks once for the printed credentials (here given in the
                // address of the agent behind Hawtio's proxy), then the console page uses them.
                browser.open(console.proxiedAgentWithCredentials());
                browser.open(console.url());
                JsonNode table = browser.awaitScript(Duration.ofMinutes(1), ROUTES_TABLE,
                        rows -> rows.isObject() && rows.size() >= before.size());
                browser.screenshot(WORK.resolve("hawtio-routes.png"));
                Map<String, Long> after = console.routeExchangesCompleted();

                Map<String, Long> shown = new TreeMap<>();
                table.fields().forEachRemaining(row -> shown.put(row.getKey(), Long.parseLong(row.getValue().asText())));
                assertEquals(before.keySet(), shown.keySet(), "route ids listed by Hawtio");
                for (String route : before.keySet()) {
                    long count = shown.get(route);
                    assertTrue(before.get(route) <= count && count <= after.get(route),
                            route + ": Hawtio shows " + count + " completed exchanges, JMX said " + before.get(route)
                                    + " before and " + after.get(route) + " after");
                }
                assertEquals(2, shown.get("csv-intake"), "one exchange per file: " + shown);
                assertEquals(5, shown.get("row-validation"), "one exchange per rejected row: " + shown);
                assertEquals(5, shown.get("row-quarantine"), "one exchange per rejected row: " + shown);

                browser.script("""
                        Array.from(document.querySelectorAll('li.list-group-item'))
                            .find(n => n.innerText.trim() === 'csv-intake').click();""");
                browser.awaitScript(Duration.ofSeconds(30), "return location.href",
                        href -> href.asText().contains("routes-csv-intake"));
                browser.script("""
                        Array.from(document.querySelectorAll('a'))
                            .find(a => a.innerText.trim() === 'Route Diagram').click();""");
                // Every step of the route is drawn, named by its id: the processors Camel runs, and the consumer.
                java.util.Set<String> expected = new java.util.TreeSet<>(console.processorIdsOf("csv-intake"));
                expected.add("from1");
                JsonNode nodes = browser.awaitScript(Duration.ofSeconds(30), DRAWN_STEP_IDS,
                        ids -> ids.isArray() && ids.size() >= expected.size());
                browser.screenshot(WORK.resolve("hawtio-route-diagram.png"));
                assertTrue(browser.currentUrl().contains("routeDiagram"), browser.currentUrl());
                java.util.Set<String> drawn = new java.util.TreeSet<>();
                nodes.forEach(id -> drawn.add(id.asText()));
                assertEquals(expected, drawn, "the steps drawn in the csv-intake diagram");
            }
        }
    }

    private static void dropFile(PackagedPipeline app, String name, int valid, int invalid) throws IOException {
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < valid; i++) {
            csv.append(Csv.bme280Row(name.length(), i)).append('\n');
        }
        for (int i = 0; i < invalid; i++) {
            csv.append(Csv.bme280Row(name.length(), valid + i).replaceFirst(",[^,]*$", ",humid")).append('\n');
        }
        Path dataDir = Files.createDirectories(app.dataDir());
        Files.writeString(dataDir.resolve(name + ".part"), csv);
        Files.move(dataDir.resolve(name + ".part"), dataDir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** One route per YAML file, named after its id; error-handling holds route configurations only. */
    private static Set<String> routesOfThePipeline() throws IOException {
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("src", "main", "resources", "routes"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Matcher id = Pattern.compile("(?m)^- route:\\s*\\n\\s+id: (\\S+)").matcher(Files.readString(file));
                if (id.find()) {
                    ids.add(id.group(1));
                }
            }
        }
        return ids;
    }

    /** {@code bin/console <pid>} as a child process, on free ports. */
    private record Console(Process process, Path log, String url, String agentUrl, String user, String password)
            implements AutoCloseable {

        static Console start(long pid) throws IOException {
            Path log = WORK.resolve("console.log");
            ProcessBuilder builder = new ProcessBuilder("bash", "bin/console", Long.toString(pid))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("JOLOKIA_PORT", Integer.toString(PackagedPipeline.freePort()));
            builder.environment().put("HAWTIO_PORT", Integer.toString(PackagedPipeline.freePort()));
            Process process = builder.start();
            String[] urls = new String[4];
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("bin/console exited " + process.exitValue() + ": " + Files.readString(log));
                }
                String out = Files.readString(log);
                urls[0] = find(CONSOLE_URL, out).orElse(null);
                urls[1] = find(AGENT_URL, out).orElse(null);
                Matcher credentials = CREDENTIALS.matcher(out);
                if (credentials.find()) {
                    urls[2] = credentials.group(1);
                    urls[3] = credentials.group(2);
                }
                // Hawtio says so once its web application is up
                return urls[0] != null && urls[1] != null && urls[2] != null && out.contains("Started Server");
            });
            return new Console(process, log, urls[0], urls[1], urls[2], urls[3]);
        }

        private static Optional<String> find(Pattern pattern, String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }

        private String authorization() {
            return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** What the agent answers a request without credentials. */
        int agentStatusWithoutCredentials() throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create(agentUrl + "/version")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }

        /** The agent's address behind Hawtio's proxy (from the console's address), with the credentials in it. */
        String proxiedAgentWithCredentials() {
            String query = URI.create(url).getRawQuery();
            String encoded = query.substring(query.indexOf("jolokiaUrl=") + "jolokiaUrl=".length()).split("&")[0];
            URI proxied = URI.create(java.net.URLDecoder.decode(encoded, java.nio.charset.StandardCharsets.UTF_8));
            return proxied.getScheme() + "://" + user + ":" + password + "@" + proxied.getRawAuthority()
                    + proxied.getRawPath() + "/version";
        }

        /** Every route's {@code ExchangesCompleted}, read through the agent's REST API (Jolokia). */
        /** The ids of a route's processors, as their MBeans name them: every step of its YAML, nested ones included. */
        java.util.Set<String> processorIdsOf(String routeId) throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                    agentUrl + "/read/org.apache.camel:type=processors,*/RouteId,ProcessorId"))
                    .header("Authorization", authorization()).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode value = JSON.readTree(response.body()).path("value");
            java.util.Set<String> ids = new java.util.TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                JsonNode processor = it.next().getValue();
                if (routeId.equals(processor.path("RouteId").asText())) {
                    ids.add(processor.path("ProcessorId").asText());
                }
            }
            return ids;
        }

        Map<String, Long> routeExchangesCompleted() throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                    agentUrl + "/read/org.apache.camel:type=routes,*/ExchangesCompleted"))
                    .header("Authorization", authorization()).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode value = JSON.readTree(response.body()).path("value");
            Map<String, Long> completed = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> mbean = it.next();
                completed.put(ObjectName.unquote(new ObjectName(mbean.getKey()).getKeyProperty("name")),
                        mbean.getValue().path("ExchangesCompleted").asLong());
            }
            return completed;
        }

        @Override
        public void close() throws InterruptedException {
            // Hawtio first: the script then stops the agent it attached, as on Ctrl-C
            process.descendants().forEach(ProcessHandle::destroy);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        }
    }
}
