package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.ingest.Upload;
import io.sensorpipe.ingest.UploadKeys;
import io.sensorpipe.ingest.Uploads;
import io.sensorpipe.intake.BoundedContent;
import io.sensorpipe.intake.ContentHash;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.intake.IngestLedger;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.TestConfig;

/**
 * {@code http-ingest} as its YAML declares it, on a real database and folder: an upload is identified,
 * inspected and recorded and moved into the data folder (202); the same content again is answered 200
 * with the first's id; a header no source has is recorded and handed over all the same (400, csv-intake
 * quarantines it whole); a gzip body that cannot be unpacked stops at the filter (400, nothing recorded).
 */
class HttpIngestRouteTest extends RouteTestSupport {

    private final ExecutorService hashing = Executors.newCachedThreadPool();
    private DataSource database;
    private Uploads uploads;

    @AfterEach
    void stopHashing() {
        hashing.shutdownNow();
    }

    @Override
    protected List<String> routeFiles() {
        return List.of("error-handling.camel.yaml", "http-ingest.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        database = LedgerDatabase.fresh();
        PipelineConfig config = TestConfig.pipeline(Map.of("pipeline.data-dir", work.resolve("data").toString()));
        Files.createDirectories(work.resolve("data"));
        uploads = new Uploads(config, new ContentHash(hashing, Duration.ofSeconds(30), BoundedContent.Limits.NONE),
                new HeaderInspector(TestConfig.sources(), 1000), new IngestLedger(database, config, new io.sensorpipe.support.Folders(config)),
                new UploadKeys(config), database);
        registry.bind("uploads", uploads);
    }

    private Upload send(String name, byte[] body, boolean gzip) throws Exception {
        Path spool = uploads.newSpool(gzip);
        Files.write(spool, body);
        Upload upload = new Upload(name, "client-a", null, spool, body.length);
        template.sendBody("direct:ingest-upload", upload);
        return upload;
    }

    @Test
    void anUploadBecomesAFileOfTheDataFolderOnceAndItsAnswerSaysWhat() throws Exception {
        context.start();
        byte[] csv = (Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 1) + "\n").getBytes(StandardCharsets.UTF_8);
        IngestFiles files = new IngestFiles(database);

        Upload first = send("first.csv", csv, false);
        assertEquals(202, first.status(), first.answer().toString());
        long id = (Long) files.byName("first.csv").get("id");
        assertEquals(id, ((Number) first.answer().body().get("id")).longValue());
        assertTrue(java.util.Arrays.equals(csv, Files.readAllBytes(work.resolve("data/first.csv"))), "moved in whole");

        Upload again = send("again.csv", csv, false);
        assertEquals(200, again.status(), again.answer().toString());
        assertEquals(id, ((Number) again.answer().body().get("duplicate_of")).longValue());
        assertTrue(Files.notExists(work.resolve("data/again.csv")), "a known content is not handed over");

        Upload unknown = send("weather.csv", "when,wind\n1,2\n".getBytes(StandardCharsets.UTF_8), false);
        assertEquals(400, unknown.status(), unknown.answer().toString());
        assertEquals("PROCESSING", files.byName("weather.csv").get("status"), "recorded, for csv-intake to quarantine");
        assertTrue(Files.exists(work.resolve("data/weather.csv")));

        Upload broken = send("broken.csv", "not gzip at all".getBytes(StandardCharsets.UTF_8), true);
        assertEquals(400, broken.status(), broken.answer().toString());
        assertTrue(String.valueOf(broken.answer().body().get("error"))
                .startsWith("the body was sent as Content-Encoding: gzip but cannot be unpacked: "), broken.answer().toString());
        assertEquals(null, files.byName("broken.csv"), "stopped before it is recorded");
        assertTrue(Files.notExists(work.resolve("data/broken.csv")));
    }
}
