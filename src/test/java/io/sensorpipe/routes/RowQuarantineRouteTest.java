package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import io.sensorpipe.Json;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.quarantine.RejectSink;
import io.sensorpipe.quarantine.RowReports;
import io.sensorpipe.records.CsvLine;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.Intakes;
import io.sensorpipe.testdata.TestConfig;
import io.sensorpipe.validation.ReadingStandardiser;
import io.sensorpipe.validation.RowMapper;

/** row-quarantine behind row-validation's dead-letter channel, writing real files. */
class RowQuarantineRouteTest extends RouteTestSupport {

    private static final CsvLayout PARTICULATE = TestConfig.layout("f.csv", Csv.PARTICULATE_HEADER);

    @Override
    protected List<String> routeFiles() {
        return List.of("error-handling.camel.yaml", "row-validation.camel.yaml", "row-quarantine.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("rowMapper", new RowMapper());
        registry.bind("readingStandardiser", new ReadingStandardiser());
        DataSource database = LedgerDatabase.fresh();
        io.sensorpipe.intake.InputFiles inputFiles = LedgerDatabase.inputFiles(database, work.resolve("data"), context);
        registry.bind("rowReports", new RowReports(work.resolve("quarantine"), TestConfig.rules(),
                LedgerDatabase.folders(work.resolve("data")), 8L << 20));
    }

    @Test
    void rejectedRowsLandInQuarantineWithTheirReasons() throws Exception {
        context.start();
        FileIntake intake = Intakes.of(3, Path.of("pm.csv"), "00");
        String[] lines = {
            "1764,900,42.7,23.3,2017-07-01T00:00:00,12.5,8.25",
            "1764,900,42.7,23.3,2017-07-01T00:05:00,-3,1e999",
            "1764,900,42.7,23.3,2017-07-01T00:10:00,\"1,5\",7"
        };
        for (int i = 0; i < lines.length; i++) {
            CsvLine line = new CsvLine(i + 2, lines[i], List.of(org.apache.commons.csv.CSVFormat.DEFAULT
                    .parse(new java.io.StringReader(lines[i])).getRecords().get(0).values()));
            template.send("direct:row-validation", exchange -> {
                exchange.setProperty(ExchangeProperties.FILE_INTAKE, intake);
                exchange.setProperty(ExchangeProperties.CSV_LAYOUT, PARTICULATE);
                exchange.getMessage().setBody(line);
            });
        }
        intake.rowReports(RejectSink.class).close();

        assertEquals(2, intake.rowsRejected());
        Path quarantine = work.resolve("quarantine");
        assertEquals(List.of(Csv.PARTICULATE_HEADER, lines[1], lines[2]),
                Files.readAllLines(quarantine.resolve("pm.csv.rejected.csv")),
                "header and rejected lines, ready to be fixed and dropped back");
        List<String> errors = Files.readAllLines(quarantine.resolve("pm.csv.errors.jsonl"));
        assertEquals(2, errors.size());
        JsonNode first = Json.MAPPER.readTree(errors.get(0));
        assertEquals("pm.csv", first.get("file").asText());
        assertEquals(3, first.get("line").asInt());
        assertEquals("P1", first.get("reasons").get(0).get("field").asText());
        assertEquals("range", first.get("reasons").get(0).get("rule").asText());
        assertEquals("-3", first.get("reasons").get(0).get("value").asText());
        assertEquals("P2", first.get("reasons").get(1).get("field").asText());
        assertEquals("numeric", first.get("reasons").get(1).get("rule").asText());
        JsonNode second = Json.MAPPER.readTree(errors.get(1));
        assertEquals("numeric", second.get("reasons").get(0).get("rule").asText());
        assertTrue(second.get("reasons").get(0).get("message").asText().startsWith("P1 "));
    }
}
