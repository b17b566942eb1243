package io.sensorpipe.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.BoundedContent;
import io.sensorpipe.intake.ContentHash;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.intake.IngestLedger;
import io.sensorpipe.routes.LedgerDatabase;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.TestConfig;

/**
 * The http-ingest route's recording step on a real PostgreSQL and a real folder: an upload whose name is
 * taken in the data folder right now is answered 409 and leaves nothing (no row, no key, no file); once
 * the name is free the same upload is taken.
 */
class UploadsTest {

    private final ExecutorService hashing = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        hashing.shutdownNow();
    }

    private static long count(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aNameTakenInTheDataFolderIsAnswered409AndNothingIsKept() throws Exception {
        DataSource db = LedgerDatabase.fresh();
        Path dataDir = Files.createDirectories(Files.createTempDirectory(
                Files.createDirectories(Path.of("target")), "uploads-test").resolve("data"));
        PipelineConfig config = TestConfig.pipeline(Map.of("pipeline.data-dir", dataDir.toString()));
        Uploads uploads = new Uploads(config, new ContentHash(hashing, Duration.ofSeconds(30), BoundedContent.Limits.NONE),
                new HeaderInspector(TestConfig.sources(), 1000), new IngestLedger(db, config, new io.sensorpipe.support.Folders(config)), new UploadKeys(config), db);
        String body = Csv.BME280_HEADER + "\n2040,1025,42.686,23.351,2017-07-01T00:00:00,94112.35,21.5,51.25\n";
        Files.writeString(dataDir.resolve("busy.csv"), "another file of that name, being read\n");

        Upload refused = upload(uploads, body, "key-1");

        assertEquals(409, refused.status());
        assertEquals("a file named busy.csv is in the data folder (being ingested): retry later, or send it under"
                + " another name", refused.answer().body().get("error"));
        assertEquals(0, count(db, "SELECT count(*) FROM ingest_file"), "no row");
        assertEquals(0, count(db, "SELECT count(*) FROM upload_key"), "no key: the same key may come again");
        assertEquals("another file of that name, being read\n", Files.readString(dataDir.resolve("busy.csv")),
                "the file in the folder untouched");

        Files.delete(dataDir.resolve("busy.csv"));
        Upload taken = upload(uploads, body, "key-1");

        assertEquals(202, taken.status(), taken.answer().toString());
        assertEquals(body, Files.readString(dataDir.resolve("busy.csv")), "handed into the data folder under its name");
        assertEquals(1, count(db, "SELECT count(*) FROM ingest_file WHERE status = 'PROCESSING'"));
        assertTrue(Files.notExists(taken.spool()), "nothing left in the spool");
    }

    private static Upload upload(Uploads uploads, String body, String key) throws Exception {
        Path spool = uploads.newSpool(false);
        Files.writeString(spool, body);
        Upload upload = new Upload("busy.csv", "client-a", key, spool, Files.size(spool));
        uploads.unpack(upload);
        uploads.identify(upload);
        uploads.inspect(upload);
        uploads.record(upload);
        Files.deleteIfExists(spool);
        return upload;
    }
}
