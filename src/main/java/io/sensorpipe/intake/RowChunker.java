package io.sensorpipe.intake;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.PipelineConfig;

/**
 * Groups the streamed CSV records into chunks of data rows, so that each chunk costs one Kafka round
 * trip instead of one per row. Skips the header (line 1) and counts blank lines without passing them on.
 */
@ApplicationScoped
@Named("rowChunker")
public class RowChunker {

    private final int chunkSize;
    private final String charsetName;

    @jakarta.inject.Inject
    public RowChunker(PipelineConfig config) {
        this(config.chunkSize(), config.charset());
    }

    public RowChunker(int chunkSize, String charsetName) {
        this.chunkSize = chunkSize;
        this.charsetName = charsetName;
    }

    public Iterator<List<CsvLine>> chunks(@Body Iterator<ParsedRecord> records,
            @ExchangeProperty(FileIntake.PROPERTY) FileIntake intake,
            @ExchangeProperty(CsvReaderFactory.READER) LineTrackingReader text) {
        return new Iterator<>() {
            private long lastLine;
            private List<CsvLine> next = fill();

            private List<CsvLine> fill() {
                List<CsvLine> chunk = new ArrayList<>(Math.min(chunkSize, 1024));
                try {
                    while (chunk.size() < chunkSize && records.hasNext()) {
                        ParsedRecord record = records.next();
                        LineTrackingReader.Span span = text.take(record.position());
                        lastLine = span.line();
                        if (record.recordNumber() == 1) {
                            continue;
                        }
                        CsvLine line = new CsvLine(span.line(), span.raw(), record.values());
                        if (line.isBlank()) {
                            intake.blankLine();
                            continue;
                        }
                        intake.rowRead();
                        chunk.add(line);
                    }
                } catch (UncheckedIOException | IllegalStateException e) {
                    // commons-csv reports a malformed record (e.g. an unclosed quote) as an unchecked exception.
                    throw new UnreadableFileException(unreadable(e));
                }
                return chunk.isEmpty() ? null : chunk;
            }

            private String unreadable(RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String where = lastLine > 0 ? " after line " + lastLine : " near the start of the file";
                if (cause instanceof java.nio.charset.CharacterCodingException) {
                    return "not " + charsetName + " text" + where + ": " + cause.getMessage();
                }
                return "not valid CSV" + where + ": " + e.getMessage();
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public List<CsvLine> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                List<CsvLine> current = next;
                next = fill();
                return current;
            }
        };
    }
}
