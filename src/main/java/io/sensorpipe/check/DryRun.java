package io.sensorpipe.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import jakarta.validation.Validator;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.BoundedContent;
import io.sensorpipe.intake.CsvLineConverter;
import io.sensorpipe.intake.CsvReaderFactory;
import io.sensorpipe.intake.FileIntake;
import io.sensorpipe.intake.FileSealer;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.intake.LineTrackingReader;
import io.sensorpipe.intake.ParsedRecord;
import io.sensorpipe.intake.ReadFailures;
import io.sensorpipe.intake.RowChunker;
import io.sensorpipe.intake.UnreadableFileException;
import io.sensorpipe.records.CsvLine;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.Reason;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.sources.Source;
import io.sensorpipe.sources.SourceCatalog;
import io.sensorpipe.support.Texts;
import io.sensorpipe.validation.ChunkValidator;
import io.sensorpipe.validation.ReadingStandardiser;
import io.sensorpipe.validation.RowMapper;

/**
 * csv-intake's steps run on a file without a broker or a database, with the same beans: the header
 * inspected by {@code headerInspector}, the file opened and parsed by {@code csvReaderFactory}
 * ({@code camel-csv}), cut into chunks by {@code rowChunker}, each chunk checked by {@code chunkValidator}
 * and its rejected rows given the reasons {@code row-validation} gives them, and the end judged by the
 * seal's policy ({@link FileSealer#refusal}). Publishing is replaced by counting. So its verdict is the
 * pipeline's on the same file (the test that runs both over every corpus keeps it so).
 */
public final class DryRun {

    /** A rejected row: its line, its text as in the file, and its reasons. */
    public record Rejected(long line, String raw, List<Reason> reasons) {
    }

    /**
     * What the pipeline would make of a file.
     *
     * @param layout     where each field sits; null when no source takes the file
     * @param valid      the first valid rows as they would be stored
     * @param rejected   the first rejected rows
     * @param quarantine why the file would be quarantined whole, or null when it would be loaded
     */
    public record Verdict(CsvLayout layout, long rows, long rowsRejected, long blankLines, List<SensorReading> valid,
            List<Rejected> rejected, String quarantine) {

        public Source source() {
            return layout == null ? null : layout.source();
        }
    }

    private final CamelContext camel;
    private final HeaderInspector headers;
    private final CsvReaderFactory readers;
    private final RowChunker chunker;
    private final ChunkValidator validator;
    private final double maxRejectedPercent;
    private final int maxMessageChars;
    private final int maxReads;

    public DryRun(CamelContext camel, PipelineConfig config, SourceCatalog sources, Validator validator) {
        this.camel = camel;
        this.headers = new HeaderInspector(sources, config.limits().maxFields());
        this.readers = new CsvReaderFactory(config.limits().maxRecordChars(), config.limits().maxFileBytes(),
                BoundedContent.Limits.of(config), new CsvLineConverter(config.limits().maxFields()));
        // The parse on the caller's thread: the same chunks, without reading ahead.
        this.chunker = new RowChunker(config.chunkSize(), null, config.limits().readStallTimeout());
        this.validator = new ChunkValidator(new RowMapper(), validator, new ReadingStandardiser());
        this.maxRejectedPercent = config.maxRejectedPercent();
        this.maxMessageChars = config.limits().maxMessageChars();
        this.maxReads = config.failures().maxFileReads();
    }

    /** Runs the file through the intake's steps, keeping the first {@code keep} valid and rejected rows. */
    @SuppressWarnings("unchecked")
    public Verdict check(Path file, int keep) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        FileIntake intake = new FileIntake(0, file.getFileName().toString(), file, null, attributes.size(), attributes);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(ExchangeProperties.FILE_INTAKE, intake);
        exchange.getIn().setBody(file.toFile());
        List<SensorReading> valid = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        CsvLayout layout = null;
        String quarantine = null;
        LineTrackingReader reader = null;
        try {
            // inspect-header
            headers.inspect(exchange);
            layout = exchange.getProperty(ExchangeProperties.CSV_LAYOUT, CsvLayout.class);
            // open-csv, parse-csv
            reader = readers.reader(file.toFile(), layout);
            exchange.setProperty(ExchangeProperties.CSV_READER, reader);
            exchange.getIn().setBody(reader);
            Iterator<ParsedRecord> records = (Iterator<ParsedRecord>) readers.parse(exchange);
            // split-chunks
            Iterator<List<CsvLine>> chunks = chunker.chunks(records, intake, reader, layout, exchange);
            while (chunks.hasNext()) {
                List<CsvLine> chunk = chunks.next();
                // validate-chunk
                List<CsvLine> failed = validator.validate(chunk, intake, layout, exchange);
                // split-rejected-rows: row-validation's reasons, counted as row-quarantine counts them
                List<SensorReading> passedAfterAll = new ArrayList<>();
                for (CsvLine line : failed) {
                    List<Reason> reasons = validator.reasons(line, layout);
                    if (reasons == null) {
                        passedAfterAll.add(null);
                        continue;
                    }
                    intake.rowRejected(line.lineNumber(), reasons);
                    if (rejected.size() < keep) {
                        rejected.add(new Rejected(line.lineNumber(), line.raw(), reasons));
                    }
                }
                // merge-valid-rows; publish-readings: counted, not sent
                List<SensorReading> readings = validator.merge(List.of(), exchange.getProperty(ExchangeProperties.VALID_READINGS,
                        List.class), exchange);
                intake.published(readings.size() + passedAfterAll.size());
                for (int i = 0; i < readings.size() && valid.size() < keep; i++) {
                    valid.add(readings.get(i));
                }
            }
            // seal-file
            quarantine = FileSealer.refusal(intake.quality(""), maxRejectedPercent);
        } catch (UnreadableFileException e) {
            quarantine = e.getMessage();
        } catch (Exception e) {
            // Not the content's fault as far as the intake can tell: read again, and quarantined once
            // every read allowed has failed the same way.
            quarantine = ReadFailures.lastRead(maxReads, ReadFailures.error(e, maxMessageChars));
        } finally {
            if (reader != null) {
                reader.close();
            }
        }
        return new Verdict(layout, intake.rowsRead(), intake.rowsRejected(), intake.blankLines(), valid, rejected,
                quarantine == null ? null : Texts.cut(quarantine, maxMessageChars));
    }
}
