package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import io.sensorpipe.Json;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.intake.FileMoves;
import io.sensorpipe.intake.InputFiles;
import io.sensorpipe.intake.QuarantinedFiles;
import io.sensorpipe.intake.UnreadableFileException;
import io.sensorpipe.quarantine.FileQuarantine;
import io.sensorpipe.quarantine.QuarantineReports;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileEvent;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.Intakes;
import io.sensorpipe.testdata.TestConfig;

class FileQuarantineRouteTest extends RouteTestSupport {

    private DataSource database;

    @Override
    protected List<String> routeFiles() {
        return List.of("file-quarantine.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        database = LedgerDatabase.fresh();
        InputFiles inputFiles = LedgerDatabase.inputFiles(database, work.resolve("data"), context);
        io.sensorpipe.support.Folders folders = LedgerDatabase.folders(work.resolve("data"));
        registry.bind("fileQuarantine", new FileQuarantine(new QuarantinedFiles(database),
                new QuarantineReports(work.resolve("quarantine"), TestConfig.rules(), folders), TestConfig.rules(), 1000));
        registry.bind("fileMoves", new FileMoves(inputFiles, folders));
        registry.bind("pipelineMetrics", new io.sensorpipe.support.PipelineMetrics(
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    /** The row the ledger writes when a file arrives to be read. */
    private long arrived(String name, String sha256, long size) throws Exception {
        try (var c = database.getConnection(); var ps = c.prepareStatement("INSERT INTO ingest_file (file_name, sha256,"
                + " size_bytes, status) VALUES (?, ?, ?, 'PROCESSING') RETURNING id")) {
            ps.setString(1, name);
            ps.setString(2, sha256);
            ps.setLong(3, size);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void unreadableFileGetsAnErrorReportAndIsPointedAtTheQuarantine() throws Exception {
        AdviceWith.adviceWith(context, "file-quarantine", route -> {
            route.weaveById("event-quarantined").replace().to("mock:events");
        });
        context.start();
        MockEndpoint events = getMockEndpoint("mock:events");
        events.expectedMessageCount(1);
        Path input = Files.writeString(Files.createDirectories(work.resolve("data")).resolve("blob.csv"), "\0\0\0\0");
        long id = arrived("blob.csv", "ab12", 4);
        FileIntake intake = Intakes.of(id, input, "ab12");

        Exchange result = template.send("direct:file-quarantine", exchange -> {
            exchange.setProperty(ExchangeProperties.FILE_INTAKE, intake);
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT,
                    new UnreadableFileException("not a text file: NUL byte in the first line"));
        });

        Path quarantine = work.resolve("quarantine");
        assertTrue(Files.exists(quarantine.resolve("blob.csv")), "the file itself is moved into the quarantine");
        assertFalse(Files.exists(input), "and leaves the data folder");
        assertFalse(result.isFailed());
        JsonNode report = Json.MAPPER.readTree(Files.readString(quarantine.resolve("blob.csv.error.json")));
        assertEquals("blob.csv", report.get("file").asText());
        assertEquals("ab12", report.get("file_sha256").asText());
        assertEquals("not a text file: NUL byte in the first line", report.get("reason").asText());
        Map<String, Object> recorded = new IngestFiles(database).byName("blob.csv");
        assertEquals(id, recorded.get("id"));
        assertEquals("QUARANTINED", recorded.get("status"));
        assertEquals("not a text file: NUL byte in the first line", recorded.get("error"));
        JsonNode summary = Json.MAPPER.readTree(Files.readString(quarantine.resolve("blob.csv.summary.json")));
        assertEquals("QUARANTINED", summary.get("status").asText());
        assertEquals("ab12", summary.get("file_sha256").asText());
        events.assertIsSatisfied();
        FileEvent event = events.getReceivedExchanges().get(0).getProperty(ExchangeProperties.FILE_EVENT, FileEvent.class);
        assertEquals("QUARANTINED", event.status());
        assertEquals("ab12", event.sha256());
        assertEquals("not a text file: NUL byte in the first line", event.reason());
    }
}
