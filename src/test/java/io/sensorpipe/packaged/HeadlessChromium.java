package io.sensorpipe.packaged;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Debian's Chromium driven headless by Selenium through Debian's ChromeDriver: both given by path, so
 * Selenium downloads no browser and no driver.
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

    private final ChromeDriver driver;

    static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    /**
     * Skips the calling test where Chromium or ChromeDriver is absent, unless the environment says
     * {@code SENSORPIPE_BROWSER_TESTS=required} (CI does): then their absence fails it.
     */
    static void require() {
        if (!installed()) {
            String missing = "Chromium and ChromeDriver are not installed (" + BROWSER + ", " + DRIVER
                    + "; Debian packages chromium and chromium-driver)";
            if ("required".equals(System.getenv("SENSORPIPE_BROWSER_TESTS"))) {
                org.junit.jupiter.api.Assertions.fail(missing);
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "skipped: " + missing);
        }
    }

    HeadlessChromium(Path work) throws IOException {
        Files.createDirectories(work);
        List<String> args = new ArrayList<>(FLAGS);
        args.add("--user-data-dir=" + Files.createTempDirectory(work, "profile-"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(work.resolve("chromedriver.log").toFile())
                .build();
        driver = new ChromeDriver(service, new ChromeOptions().setBinary(BROWSER.toFile()).addArguments(args));
    }

    void open(String url) {
        driver.get(url);
    }

    String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Runs {@code script} (a function body, {@code arguments[i]} are the arguments) in the page; its result as JSON. */
    JsonNode script(String script, Object... arguments) {
        return JSON.valueToTree(driver.executeScript(script, arguments));
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

    /** Makes the window as tall as the page (at most 4,000 pixels), so that a screenshot shows all of it. */
    void fitPage() {
        long height = ((Number) driver.executeScript("return document.documentElement.scrollHeight")).longValue();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(1400, (int) Math.min(height + 140, 4000)));
    }

    void screenshot(Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
