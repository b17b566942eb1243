package io.sensorpipe.routes;

import java.nio.file.Path;
import javax.sql.DataSource;

import jakarta.validation.Validation;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.spi.Registry;

import io.sensorpipe.intake.CsvLineConverter;
import io.sensorpipe.intake.CsvReaderFactory;
import io.sensorpipe.intake.FileMoves;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.intake.IngestLedger;
import io.sensorpipe.intake.InputFiles;
import io.sensorpipe.intake.QuarantinedFiles;
import io.sensorpipe.intake.ReadingPublisher;
import io.sensorpipe.intake.RowChunker;
import io.sensorpipe.intake.ValidRowCollector;
import io.sensorpipe.quarantine.FileQuarantine;
import io.sensorpipe.quarantine.QuarantineReports;
import io.sensorpipe.quarantine.RowReports;
import io.sensorpipe.support.PipelineMetrics;
import io.sensorpipe.testdata.TestConfig;
import io.sensorpipe.validation.ChunkValidator;
import io.sensorpipe.validation.ReadingStandardiser;
import io.sensorpipe.validation.RowMapper;

/** The beans and advice that csv-intake tests share: real beans, the ledger on a real database, Kafka and metrics mocked. */
final class IntakeRoutes {

    private IntakeRoutes() {
    }

    /** Binds the intake's beans, its ledger on {@code database}, and returns the ledger. */
    static IngestLedger bindBeans(CamelContext camel, Path work, DataSource database, InputFiles inputFiles,
            double maxRejectedPercent, int chunkSize) {
        Registry registry = camel.getRegistry();
        IngestLedger ledger = LedgerDatabase.ledger(database, work.resolve("data"));
        registry.bind("ingestLedger", ledger);
        registry.bind("fileArrivals", LedgerDatabase.arrivals(ledger, inputFiles, work.resolve("data")));
        registry.bind("fileSealer", LedgerDatabase.sealer(database, work.resolve("data"), maxRejectedPercent));
        registry.bind("pipelineMetrics", new PipelineMetrics(new SimpleMeterRegistry()));
        registry.bind("inputFiles", inputFiles);
        registry.bind("headerInspector", new HeaderInspector(TestConfig.sources(), 1000));
        registry.bind("csvReaderFactory", new CsvReaderFactory(1_048_576, 0,
                new io.sensorpipe.intake.BoundedContent.Limits(10L << 30, 100), new CsvLineConverter(1000)));
        registry.bind("csvLineConverter", new CsvLineConverter(1000));
        registry.bind("rowChunker", new RowChunker(chunkSize, java.util.concurrent.Executors.newCachedThreadPool(),
                java.time.Duration.ofSeconds(60)));
        registry.bind("validRowCollector", new ValidRowCollector());
        registry.bind("readingPublisher", new ReadingPublisher(camel, io.sensorpipe.testdata.TestConfig.sources()));
        RowMapper mapper = new RowMapper();
        ReadingStandardiser standardiser = new ReadingStandardiser();
        registry.bind("rowMapper", mapper);
        registry.bind("readingStandardiser", standardiser);
        registry.bind("chunkValidator", new ChunkValidator(mapper,
                Validation.buildDefaultValidatorFactory().getValidator(), standardiser));
        registry.bind("failures", new io.sensorpipe.support.Failures());
        // Its filter only (no database): the consumer reads regular files of this data folder.
        registry.bind("dataFolderScreen", new io.sensorpipe.intake.DataFolderScreen(null, TestConfig.pipeline(
                java.util.Map.of("pipeline.data-dir", work.resolve("data").toString())), null));
        registry.bind("retries", new io.sensorpipe.support.Retries());
        registry.bind("readFailures", new io.sensorpipe.intake.ReadFailures(new io.sensorpipe.intake.ReadLedger(database), TestConfig.pipeline(java.util.Map.of())));
        io.sensorpipe.support.Folders folders = LedgerDatabase.folders(work.resolve("data"));
        QuarantineReports reports = new QuarantineReports(work.resolve("quarantine"), TestConfig.rules(), folders);
        registry.bind("rowReports", new RowReports(work.resolve("quarantine"), TestConfig.rules(), folders, 8L << 20));
        registry.bind("fileQuarantine", new FileQuarantine(new QuarantinedFiles(database), reports, TestConfig.rules(), 1000));
        registry.bind("fileMoves", new FileMoves(inputFiles, folders));
        return ledger;
    }

    /**
     * Kafka to mock:kafka (one message per chunk, its records as body; no broker, so no acks to await),
     * the seal to mock:metrics.
     */
    static void adviseIntake(CamelContext context) throws Exception {
        AdviceWith.adviceWith(context, "csv-intake", route -> {
            route.weaveById("publish-readings").replace().to("mock:kafka");
            route.weaveById("await-acks").remove();
            route.weaveById("seal-key").remove();
            route.weaveById("encode-seal").remove();
            route.weaveById("publish-seal").replace().to("mock:metrics");
            route.weaveById("event-detected").replace().to("mock:events");
        });
        AdviceWith.adviceWith(context, "file-quarantine", route -> {
            route.weaveById("event-quarantined").replace().to("mock:events");
        });
    }
}
