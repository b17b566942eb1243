package io.sensorpipe.packaged;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's Chromium driven headless through its ChromeDriver, over the W3C WebDriver protocol (plain
 * HTTP + JSON, so no browser-automation library and no browser download is needed).
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BROWSER = Path.of(System.getProperty("sensorpipe.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("sensorpipe.chromedriver", "/usr/bin/chromedriver"));

    /**
     * Without the background-networking flags Chromium keeps dialling Google's hosts, which a closed
     * network refuses; a fresh profile keeps runs independent.
     */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--window-size=1400,1000");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process driver;
    private final String session;

    static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    HeadlessChromium(Path work) throws IOException {
        Files.createDirectories(work);
        int port = PackagedPipeline.freePort();
        driver = new ProcessBuilder(DRIVER.toString(), "--port=" + port)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("chromedriver.log").toFile())
                .start();
        try {
            session = newSession("http://127.0.0.1:" + port, work);
        } catch (IOException | RuntimeException e) {
            driver.destroyForcibly();
            throw e;
        }
    }

    private String newSession(String base, Path work) throws IOException {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> call("GET", base + "/status", null).path("ready").asBoolean());
        Path profile = Files.createTempDirectory(work, "profile-");
        List<String> args = new java.util.ArrayList<>(FLAGS);
        args.add("--user-data-dir=" + profile);
        Map<String, Object> capabilities = Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                "browserName", "chrome",
                "goog:chromeOptions", Map.of("binary", BROWSER.toString(), "args", args))));
        return base + "/session/" + call("POST", base + "/session", capabilities).path("sessionId").asText();
    }

    void open(String url) throws IOException {
        call("POST", session + "/url", Map.of("url", url));
    }

    String currentUrl() throws IOException {
        return call("GET", session + "/url", null).asText();
    }

    /** Runs {@code script} (a function body, {@code arguments[i]} are the arguments) in the page. */
    JsonNode script(String script, Object... arguments) throws IOException {
        return call("POST", session + "/execute/sync", Map.of("script", script, "args", List.of(arguments)));
    }

    /** Re-runs {@code script} until its result passes {@code done}; returns that result. */
    JsonNode awaitScript(Duration atMost, String script, Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .alias("page state from: " + script)
                .until(() -> {
                    last[0] = script(script);
                    return done.test(last[0]);
                });
        return last[0];
    }

    void screenshot(Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(call("GET", session + "/screenshot", null).asText()));
    }

    private JsonNode call(String method, String url, Object body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new IOException("WebDriver " + method + " " + url + " -> " + response.statusCode() + ": "
                    + value.path("message").asText(response.body()));
        }
        return value;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            call("DELETE", session, null);
        } catch (IOException | RuntimeException e) {
            // the driver is stopped below either way
        }
        driver.destroy();
        if (!driver.waitFor(10, TimeUnit.SECONDS)) {
            driver.destroyForcibly();
        }
    }
}
