package io.sensorpipe.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import io.sensorpipe.Json;
import io.sensorpipe.intake.InputFiles;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.IngestFiles;

class CsvIntakeRouteTest extends RouteTestSupport {

    private DataSource database;
    private InputFiles inputFiles;

    @Override
    protected List<String> routeFiles() {
        return List.of("error-handling.camel.yaml", "csv-intake.camel.yaml", "row-validation.camel.yaml",
                "row-quarantine.camel.yaml", "file-quarantine.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        database = LedgerDatabase.fresh();
        inputFiles = LedgerDatabase.inputFiles(database, work.resolve("data"), context);
        IntakeRoutes.bindBeans(context, work, database, inputFiles, 50, 3);
    }

    private void adviseIntake() throws Exception {
        IntakeRoutes.adviseIntake(context);
        context.start();
    }

    /** The file's ingest_file row as the ledger recorded it. */
    private Map<String, Object> recorded(String name) throws Exception {
        Map<String, Object> row = new IngestFiles(database).byName(name);
        assertTrue(row != null, name + " is recorded");
        return row;
    }

    private Path drop(String name, String content) throws Exception {
        Path dataDir = Files.createDirectories(work.resolve("data"));
        Path staged = work.resolve(name + ".staged");
        Files.writeString(staged, content);
        return Files.move(staged, dataDir.resolve(name));
    }

    @Test
    void validRowsGoToKafkaInChunksKeyedBySensorAndTheFileIsSealedWithItsCounts() throws Exception {
        adviseIntake();
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(1);

        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 5; i++) {
            csv.append(Csv.bme280Row(2040 + i % 2, i)).append('\n');
        }
        csv.append("2040,1025,42.686,23.351,2017-07-01T00:00:09,117638.84,-145.12,100.0\n"); // line 7: out of range
        csv.append('\n'); // line 8: blank, skipped
        csv.append(",1025,42.686,23.351,not-a-time,94000,20.0,50.0\n"); // line 9: no sensor id, bad timestamp
        drop("mixed.csv", csv.toString());

        metrics.assertIsSatisfied(10_000);
        FileSealed sealed = metrics.getReceivedExchanges().get(0).getMessage().getBody(FileSealed.class);
        assertEquals(7, sealed.rowsTotal());
        assertEquals(2, sealed.rowsQuarantined());
        assertEquals(5, sealed.rowsExpected());

        List<SensorReading> readings = new ArrayList<>();
        for (Exchange chunk : kafka.getReceivedExchanges()) {
            readings.addAll(chunk.getMessage().getBody(List.class));
        }
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), readings.stream().map(SensorReading::line).toList(),
                "every valid row is published once, in order");
        assertEquals(2041L, readings.get(1).sensorId());
        assertEquals("mixed.csv", readings.get(0).fileName());
        List<List<Long>> chunks = new ArrayList<>();
        for (Exchange chunk : kafka.getReceivedExchanges()) {
            chunks.add(((List<SensorReading>) chunk.getMessage().getBody(List.class)).stream().map(SensorReading::line)
                    .toList());
        }
        assertEquals(List.of(List.of(2L, 3L, 4L), List.of(5L, 6L)), chunks,
                "rows are read in chunks of 3 (lines 2-4, 5-7, 9), each chunk's valid rows published as one record");

        Map<String, Object> entry = recorded("mixed.csv");
        assertEquals(sealed.fileId(), entry.get("id"));
        assertEquals(7L, entry.get("rows_total"));
        assertEquals(2L, entry.get("rows_quarantined"));
        // The file stays in data/ until the loader has committed its rows (metrics-aggregator moves it),
        // and later polls do not read it again: a file dropped afterwards is read by a later poll, which
        // lists mixed.csv too and passes it over.
        metrics.reset();
        metrics.expectedMessageCount(1);
        drop("later.csv", Csv.BME280_HEADER + "\n" + Csv.bme280Row(7, 1) + "\n");
        metrics.assertIsSatisfied(10_000);
        assertEquals("later.csv", metrics.getReceivedExchanges().get(0).getMessage().getBody(FileSealed.class)
                .fileName(), "a later poll read the newcomer, not mixed.csv again");
        assertTrue(Files.exists(work.resolve("data/mixed.csv")), "not moved before its rows are in the database");
        assertTrue(inputFiles.contains("mixed.csv"));
        List<String> rejected = Files.readAllLines(work.resolve("quarantine/mixed.csv.rejected.csv"));
        assertEquals(List.of(Csv.BME280_HEADER, "2040,1025,42.686,23.351,2017-07-01T00:00:09,117638.84,-145.12,100.0",
                ",1025,42.686,23.351,not-a-time,94000,20.0,50.0"), rejected);
    }

    @Test
    void fileWithAnUnknownHeaderIsQuarantinedWholeWithItsReason() throws Exception {
        adviseIntake();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("csv-intake").whenDone(1).create();
        drop("weather.csv", "station,when,temp\n1,2017-07-01T00:00:00,20\n");

        assertTrue(done.matches(10, TimeUnit.SECONDS));
        getMockEndpoint("mock:kafka").expectedMessageCount(0);
        getMockEndpoint("mock:metrics").expectedMessageCount(0);
        MockEndpoint.assertIsSatisfied(context);
        Path quarantine = work.resolve("quarantine");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(quarantine.resolve("weather.csv")));
        String report = Files.readString(quarantine.resolve("weather.csv.error.json"));
        assertTrue(report.contains("unknown header"), report);
        Map<String, Object> entry = recorded("weather.csv");
        assertEquals("QUARANTINED", entry.get("status"));
        assertTrue(((String) entry.get("error")).contains("missing [sensor_id"), (String) entry.get("error"));
    }

    @Test
    void aFileLargerThanMaxFileBytesIsQuarantinedWholeUnread() throws Exception {
        context.getRegistry().bind("csvReaderFactory", new io.sensorpipe.intake.CsvReaderFactory(1_048_576, 200,
                new io.sensorpipe.intake.BoundedContent.Limits(10L << 30, 100), new io.sensorpipe.intake.CsvLineConverter(1000)));
        adviseIntake();
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        String small = Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 1) + "\n";
        StringBuilder large = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 4; i++) {
            large.append(Csv.bme280Row(2040, i)).append('\n');
        }
        assertTrue(small.length() <= 200 && large.length() > 200, small.length() + " and " + large.length() + " bytes");
        drop("small.csv", small);
        drop("large.csv", large.toString());

        IngestFiles files = new IngestFiles(database);
        await().atMost(Duration.ofSeconds(10)).until(() -> files.byName("large.csv") != null
                && "QUARANTINED".equals(files.byName("large.csv").get("status")) && files.byName("small.csv") != null);
        Map<String, Object> refused = recorded("large.csv");
        assertEquals("QUARANTINED", refused.get("status"));
        assertEquals("the file has " + large.length() + " bytes, more than pipeline.limits.max-file-bytes (200)",
                refused.get("error"));
        assertTrue(Files.exists(work.resolve("quarantine/large.csv")), "moved to the quarantine folder");
        assertEquals(1L, recorded("small.csv").get("rows_total"), "a file within the limit is read");
        List<String> published = new ArrayList<>();
        for (Exchange chunk : kafka.getReceivedExchanges()) {
            ((List<SensorReading>) chunk.getMessage().getBody(List.class)).forEach(r -> published.add(r.fileName()));
        }
        assertEquals(List.of("small.csv"), published, "no row of the larger file is read");
    }

    @Test
    void aFileGoneBetweenItsHeaderAndItsRowsIsQuarantinedNotLeftProcessing() throws Exception {
        AdviceWith.adviceWith(context, "csv-intake", route -> route.weaveById("open-csv").before().process(exchange ->
                Files.move(work.resolve("data/gone.csv"), work.resolve("gone.csv.taken-away"))));
        adviseIntake();
        drop("gone.csv", Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 1) + "\n");

        IngestFiles files = new IngestFiles(database);
        await().atMost(Duration.ofSeconds(10)).until(() -> files.byName("gone.csv") != null
                && !"PROCESSING".equals(files.byName("gone.csv").get("status")));
        Map<String, Object> gone = recorded("gone.csv");
        assertEquals("QUARANTINED", gone.get("status"));
        assertEquals("the file left the data folder while it was read (before its content was opened): read no further",
                gone.get("error"));
        assertEquals(0, gone.get("failed_reads"), "not a failed read: nothing is left to read again");
    }

    @Test
    void emptyFileIsQuarantinedWhole() throws Exception {
        adviseIntake();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("csv-intake").whenDone(1).create();
        drop("empty.csv", "");

        assertTrue(done.matches(10, TimeUnit.SECONDS));
        assertTrue(Files.readString(work.resolve("quarantine/empty.csv.error.json")).contains("file is empty"));
        assertEquals("QUARANTINED", recorded("empty.csv").get("status"));
    }

    @Test
    void pandasIndexColumnsAreIgnored() throws Exception {
        adviseIntake();
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(1);
        drop("pandas.csv", Csv.PANDAS_BME280_HEADER + "\n0,0," + Csv.bme280Row(2040, 1) + "\n1,1,"
                + Csv.bme280Row(2040, 2) + "\n");

        metrics.assertIsSatisfied(10_000);
        FileSealed sealed = metrics.getReceivedExchanges().get(0).getMessage().getBody(FileSealed.class);
        assertEquals(2, sealed.rowsExpected());
        assertEquals(0, sealed.rowsQuarantined());
    }

    @Test
    void rejectedLinesAreCopiedVerbatimWithTheirPhysicalLineNumbers() throws Exception {
        adviseIntake();
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(1);
        String bad1 = "2040,\"1025\",42.686,23.351,2017-07-01T00:00:09,94000,\"51,5\",50.0";
        String bad2 = "2040,1025,42.686,23.351,\"2017-07-01\nT00:00:10\",94000,20.0,50.0";
        String csv = "\uFEFF" + Csv.BME280_HEADER + ",\r\n"          // line 1, BOM, trailing empty column
                + Csv.bme280Row(2040, 1) + ",\r\n"                     // line 2, trailing empty field
                + bad1 + "\r\n"                                        // line 3
                + "\r\n"                                               // line 4, blank
                + bad2 + "\r\n"                                        // lines 5-6, a quoted line break
                + Csv.bme280Row(2040, 2) + "\r\n";                     // line 7
        drop("crlf.csv", csv);

        metrics.assertIsSatisfied(10_000);
        FileSealed sealed = metrics.getReceivedExchanges().get(0).getMessage().getBody(FileSealed.class);
        assertEquals(4, sealed.rowsTotal());
        assertEquals(2, sealed.rowsExpected());
        Path quarantine = work.resolve("quarantine");
        assertEquals(Csv.BME280_HEADER + ",\r\n" + bad1 + "\r\n" + bad2 + "\r\n",
                Files.readString(quarantine.resolve("crlf.csv.rejected.csv")), "each line with its own line terminator");
        List<String> errors = Files.readAllLines(quarantine.resolve("crlf.csv.errors.jsonl"));
        assertTrue(errors.get(0).contains("\"line\":3"), errors.get(0));
        assertTrue(errors.get(1).contains("\"line\":5"), errors.get(1));
    }

    @Test
    void fileThatStopsBeingUtf8HalfWayIsQuarantinedWhole() throws Exception {
        adviseIntake();
        byte[] good = (Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 1) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "2040,1025,42.686,23.351,2017-07-01T00:00:09,94000,20.0,50.0 \u00b0C\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        Path dataDir = Files.createDirectories(work.resolve("data"));
        Path staged = work.resolve("latin.staged");
        Files.write(staged, java.nio.ByteBuffer.allocate(good.length + latin1.length).put(good).put(latin1).array());
        Files.move(staged, dataDir.resolve("latin.csv"));

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(work.resolve("quarantine/latin.csv")));
        String report = Files.readString(work.resolve("quarantine/latin.csv.error.json"));
        // The parser reads the whole small file ahead before it takes a record: the failure is met there.
        assertEquals("not UTF-8 text near the start of the file: Input length = 1",
                io.sensorpipe.Json.MAPPER.readTree(report).get("reason").asText(), report);
        assertEquals("QUARANTINED", recorded("latin.csv").get("status"));
    }

    @Test
    void headerOnlyFileIsQuarantinedWhole() throws Exception {
        adviseIntake();
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("csv-intake").whenDone(1).create();
        drop("header.csv", Csv.BME280_HEADER + "\n\n");

        assertTrue(done.matches(10, TimeUnit.SECONDS));
        String report = Files.readString(work.resolve("quarantine/header.csv.error.json"));
        assertTrue(report.contains("no data rows: the file has a header only and 1 blank lines"), report);
        getMockEndpoint("mock:metrics").expectedMessageCount(0);
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void fileWithMostRowsRejectedIsQuarantinedWholeWithItsSummary() throws Exception {
        adviseIntake();
        drop("stuck.csv", Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 1) + "\n"
                + "2040,1025,42.686,23.351,2017-07-01T00:00:09,117638.84,-145.12,100.0\n"
                + "2040,1025,42.686,23.351,2017-07-01T00:00:10,117638.84,-145.12,100.0\n");

        Path quarantine = work.resolve("quarantine");
        // The file moves last, after its reports are written.
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(quarantine.resolve("stuck.csv")));
        assertTrue(Files.readString(quarantine.resolve("stuck.csv.error.json"))
                .contains("2 of 3 rows rejected (66.7 %), above the limit of 50 %"));
        JsonNode summary = Json.MAPPER.readTree(Files.readString(quarantine.resolve("stuck.csv.summary.json")));
        assertEquals(3, summary.get("rows_total").asInt());
        assertEquals(0, summary.get("rows_loaded").asInt());
        assertEquals(3, summary.get("rows_quarantined").asInt());
        assertEquals(2, summary.get("rows_rejected").asInt());
        assertEquals(3, summary.get("first_rejected_line").asInt());
        assertEquals(4, summary.get("last_rejected_line").asInt());
        assertEquals("pressure", summary.get("rejections").get(0).get("field").asText());
        assertEquals(2, summary.get("rejections").get(0).get("rows").asInt());
        Map<String, Object> entry = recorded("stuck.csv");
        assertEquals("QUARANTINED", entry.get("status"));
        assertEquals(3L, entry.get("rows_quarantined"));
    }

    @Test
    void fileReplacedWhileBeingReadIsLoadedAsItWasAndTheNewcomerAfterwards() throws Exception {
        adviseIntake();
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(2);
        Path dataDir = Files.createDirectories(work.resolve("data"));
        // A producer moves a new version over the file while its first chunk is being published.
        kafka.whenExchangeReceived(1, exchange -> {
            Path staged = work.resolve("newcomer.staged");
            Files.writeString(staged, Csv.BME280_HEADER + "\n" + Csv.bme280Row(7, 1) + "\n" + Csv.bme280Row(7, 2) + "\n");
            Files.move(staged, dataDir.resolve("replaced.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        });
        StringBuilder original = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 5; i++) {
            original.append(Csv.bme280Row(2040, i)).append('\n');
        }
        drop("replaced.csv", original.toString());

        metrics.assertIsSatisfied(10_000);
        FileSealed first = metrics.getReceivedExchanges().get(0).getMessage().getBody(FileSealed.class);
        FileSealed second = metrics.getReceivedExchanges().get(1).getMessage().getBody(FileSealed.class);
        assertEquals("replaced.csv", first.fileName());
        assertEquals(5, first.rowsExpected(), "the original is read whole through its open handle");
        assertEquals("replaced.replaced-" + first.fileId() + ".csv", second.fileName());
        assertEquals(2, second.rowsExpected(), "the newcomer is read by the next poll");
    }

    @Test
    void fileWrittenToWhileBeingReadIsQuarantinedWhole() throws Exception {
        adviseIntake();
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        Path dataDir = Files.createDirectories(work.resolve("data"));
        kafka.whenExchangeReceived(1, exchange -> Files.writeString(dataDir.resolve("growing.csv"),
                Csv.bme280Row(2040, 99) + "\n", java.nio.file.StandardOpenOption.APPEND));
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 5; i++) {
            csv.append(Csv.bme280Row(2040, i)).append('\n');
        }
        drop("growing.csv", csv.toString());

        Path quarantine = work.resolve("quarantine");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(quarantine.resolve("growing.csv")));
        assertTrue(Files.readString(quarantine.resolve("growing.csv.error.json")).contains("changed while it was read"));
        getMockEndpoint("mock:metrics").expectedMessageCount(0);
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void aReadThatAnotherInstanceFinishedMeanwhileIsDroppedAndTheFileStaysLoaded() throws Exception {
        adviseIntake();
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        // Another instance read the same file and finished it while this read was under way.
        kafka.whenExchangeReceived(1, exchange -> {
            try (var c = database.getConnection(); var ps = c.prepareStatement(
                    "UPDATE ingest_file SET status = 'LOADED', rows_total = 5, rows_loaded = 5, rows_quarantined = 0"
                            + " WHERE file_name = 'twice.csv'")) {
                assertEquals(1, ps.executeUpdate());
            }
        });
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("csv-intake").whenDone(1).create();
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        for (int i = 0; i < 4; i++) {
            csv.append(Csv.bme280Row(2040, i)).append('\n');
        }
        csv.append("2040,1025,42.686,23.351,2017-07-01T00:00:09,117638.84,-145.12,100.0\n");
        csv.append("2040,1025,42.686,23.351,2017-07-01T00:00:10,117638.84,-145.12,100.0\n");
        csv.append("2040,1025,42.686,23.351,2017-07-01T00:00:11,117638.84,-145.12,100.0\n");
        drop("twice.csv", csv.toString()); // 3 of 7 rejected: below the limit, sealed normally

        assertTrue(done.matches(10, TimeUnit.SECONDS));
        getMockEndpoint("mock:metrics").expectedMessageCount(1);
        getMockEndpoint("mock:metrics").assertIsSatisfied();
        Map<String, Object> entry = recorded("twice.csv");
        assertEquals("LOADED", entry.get("status"), "the other read's outcome stands");
        assertEquals(5L, entry.get("rows_loaded"));
        assertTrue(Files.notExists(work.resolve("quarantine/twice.csv.error.json")), "not quarantined");
    }

    @Test
    void aFileQuarantinedByThisReadAfterAnotherFinishedItIsLeftAsItIs() throws Exception {
        adviseIntake();
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        kafka.whenExchangeReceived(1, exchange -> {
            try (var c = database.getConnection(); var ps = c.prepareStatement(
                    "UPDATE ingest_file SET status = 'LOADED', rows_total = 3, rows_loaded = 1, rows_quarantined = 2"
                            + " WHERE file_name = 'late.csv'")) {
                assertEquals(1, ps.executeUpdate());
            }
        });
        drop("late.csv", Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 1) + "\n"
                + "2040,1025,42.686,23.351,2017-07-01T00:00:09,117638.84,-145.12,100.0\n"
                + "2040,1025,42.686,23.351,2017-07-01T00:00:10,117638.84,-145.12,100.0\n"); // 2 of 3: above 50 %

        // The read is over once file-quarantine has handed on its event (the second, after DETECTED).
        MockEndpoint events = getMockEndpoint("mock:events");
        events.expectedMessageCount(2);
        events.assertIsSatisfied(10_000);
        assertEquals(null, events.getReceivedExchanges().get(1).getProperty(io.sensorpipe.records.ExchangeProperties.FILE_EVENT),
                "no QUARANTINED event for a file another read finished");
        assertEquals("LOADED", recorded("late.csv").get("status"), "a LOADED file is never quarantined");
        assertTrue(Files.exists(work.resolve("data/late.csv")), "nor moved to the quarantine folder");
        assertTrue(Files.notExists(work.resolve("quarantine/late.csv.error.json")));
    }

    /** A step that fails as {@code failure} says, by attempt (1, 2, ...), before the header is inspected. */
    private interface Failure {
        void attempt(int attempt) throws Exception;
    }

    private AtomicInteger failBeforeTheHeader(Failure failure) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        AdviceWith.adviceWith(context, "csv-intake", route -> route.weaveById("inspect-header").before()
                .process(exchange -> failure.attempt(attempts.incrementAndGet())));
        adviseIntake();
        return attempts;
    }

    @Test
    void aReadThatKeepsFailingForAnotherReasonThanItsContentIsTriedThreeTimesThenTheFileIsQuarantined()
            throws Exception {
        AtomicInteger reads = failBeforeTheHeader(attempt -> {
            throw new IllegalStateException("a defect");
        });

        drop("defect.csv", Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 0) + "\n");

        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("quarantine/defect.csv")));
        assertEquals(3, reads.get(), "read pipeline.failures.max-file-reads (3) times, no more");
        Map<String, Object> entry = recorded("defect.csv");
        assertEquals("QUARANTINED", entry.get("status"));
        assertEquals(3, entry.get("failed_reads"), "each failed read counted");
        assertEquals("3 reads failed, the last with java.lang.IllegalStateException: a defect", entry.get("error"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(work.resolve("quarantine/defect.csv")));
        assertTrue(Files.readString(work.resolve("quarantine/defect.csv.error.json")).contains("a defect"));
        getMockEndpoint("mock:metrics").expectedMessageCount(0);
        getMockEndpoint("mock:metrics").assertIsSatisfied();
    }

    @Test
    void aTransientFailureIsRetriedWithoutCountingAgainstTheFile() throws Exception {
        AtomicInteger attempts = failBeforeTheHeader(attempt -> {
            if (attempt <= 4) {
                throw new java.sql.SQLTransientConnectionException("the database is restarting", "08006");
            }
        });
        MockEndpoint metrics = getMockEndpoint("mock:metrics");
        metrics.expectedMessageCount(1);
        metrics.setResultWaitTime(60_000);

        drop("blip.csv", Csv.BME280_HEADER + "\n" + Csv.bme280Row(2040, 0) + "\n");

        metrics.assertIsSatisfied(60_000);
        assertEquals(5, attempts.get(), "retried until the service answered, more often than the bound for defects");
        assertEquals(0, recorded("blip.csv").get("failed_reads"));
    }
}
