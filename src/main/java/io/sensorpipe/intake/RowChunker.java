package io.sensorpipe.intake;

import java.io.Closeable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.support.SynchronizationAdapter;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.records.CsvLine;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.sources.Dialect;

/**
 * Groups the streamed CSV records into chunks of data rows, so that each chunk costs one Kafka round
 * trip instead of one per row. Skips the header (line 1) and counts blank lines without passing them on.
 * <p>
 * The file is parsed a few chunks ahead on a thread of its own ({@code csv-reader}), so that parsing
 * overlaps with validating and publishing the chunks before: parsing is a fifth of the intake's work.
 * Only the parse moves: the chunks reach the route in file order, one at a time, and the file's
 * counters are updated on the route's thread as each chunk is taken. A read that fails (not CSV, not
 * the file's charset) fails at the chunk where it happened, as it would without reading ahead.
 */
@ApplicationScoped
@Named("rowChunker")
public class RowChunker {

    /** Chunks parsed ahead of the one being processed. */
    static final int READ_AHEAD = 4;

    /**
     * Characters of row text at which a chunk ends before it has its rows: a chunk of long rows (up to
     * {@code pipeline.limits.max-record-chars} each) stays a few megabytes, and so does the read-ahead.
     */
    static final int CHUNK_CHARS = 1 << 20;

    private final int chunkSize;
    private final ExecutorService reader;
    private final Duration stallTimeout;

    @Inject
    public RowChunker(PipelineConfig config, CamelContext camel) {
        this(config.chunkSize(),
                camel.getExecutorServiceManager().newCachedThreadPool(RowChunker.class, "csv-reader"),
                config.limits().readStallTimeout());
    }

    /**
     * @param reader       runs the parse of each file; null parses on the caller's thread
     * @param stallTimeout how long the route waits for the next chunk before it fails the read
     */
    public RowChunker(int chunkSize, ExecutorService reader, Duration stallTimeout) {
        this.chunkSize = chunkSize;
        this.reader = reader;
        this.stallTimeout = stallTimeout;
    }

    @PreDestroy
    void stop() {
        if (reader != null) {
            reader.shutdownNow();
        }
    }

    public Iterator<List<CsvLine>> chunks(@Body Iterator<ParsedRecord> records,
            @ExchangeProperty(ExchangeProperties.FILE_INTAKE) FileIntake intake,
            @ExchangeProperty(ExchangeProperties.CSV_READER) LineTrackingReader text,
            @ExchangeProperty(ExchangeProperties.CSV_LAYOUT) CsvLayout layout, Exchange exchange) {
        Parse parse = new Parse(records, text, layout.source().dialect());
        if (reader == null) {
            return new Chunks(intake, parse::next);
        }
        ReadAhead ahead = new ReadAhead(parse, stallTimeout, intake.fileName());
        // The split closes the iterator when it ends; should it not get that far, the file's exchange ends.
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                ahead.cancel();
            }
        });
        reader.execute(ahead);
        return new Chunks(intake, ahead::take) {
            @Override
            public void close() {
                ahead.cancel();
            }
        };
    }

    /**
     * What one step of the parse produced: up to a chunk of rows, how many rows and blank lines it
     * read, and whether the file ended or failed there.
     */
    private record Chunk(List<CsvLine> lines, int rows, int blankLines, RuntimeException failure, boolean last) {
    }

    private interface Source {
        Chunk next() throws InterruptedException;
    }

    /** Parses the records into chunks; used by one thread at a time. */
    private final class Parse {
        private final Iterator<ParsedRecord> records;
        private final LineTrackingReader text;
        private final Dialect dialect;
        private long lastLine;

        Parse(Iterator<ParsedRecord> records, LineTrackingReader text, Dialect dialect) {
            this.records = records;
            this.text = text;
            this.dialect = dialect;
        }

        Chunk next() {
            List<CsvLine> chunk = new ArrayList<>(Math.min(chunkSize, 1024));
            int rows = 0;
            int blankLines = 0;
            long chars = 0;
            try {
                while (chunk.size() < chunkSize && chars < CHUNK_CHARS && records.hasNext()) {
                    ParsedRecord record = records.next();
                    LineTrackingReader.Span span = text.take(record.position());
                    lastLine = span.line();
                    if (record.recordNumber() == 1) {
                        continue;
                    }
                    CsvLine line = new CsvLine(span.line(), span.raw(), record.values(), record.fields(), span.ending());
                    if (line.isBlank() || (dialect.skipEmptyRows() && line.isAllEmpty())) {
                        blankLines++;
                        continue;
                    }
                    rows++;
                    chars += line.raw().length();
                    chunk.add(line);
                }
            } catch (UncheckedIOException | IllegalStateException e) {
                // commons-csv reports a malformed record (e.g. an unclosed quote) as an unchecked exception.
                return new Chunk(List.of(), rows, blankLines, new UnreadableFileException(unreadable(e)), true);
            } catch (RuntimeException e) {
                return new Chunk(List.of(), rows, blankLines, e, true);
            }
            return new Chunk(chunk, rows, blankLines, null, chunk.size() < chunkSize && chars < CHUNK_CHARS);
        }

        private String unreadable(RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof LineTrackingReader.RecordTooLongException) {
                return cause.getMessage();
            }
            String where = lastLine > 0 ? " after line " + lastLine : " near the start of the file";
            if (cause instanceof java.nio.charset.CharacterCodingException) {
                return "not " + dialect.charset().name() + " text" + where + ": " + cause.getMessage();
            }
            if (cause instanceof java.util.zip.ZipException || cause instanceof java.io.EOFException) {
                return "not valid gzip" + where + ": " + cause.getMessage();
            }
            return "not valid CSV" + where + ": " + e.getMessage();
        }
    }

    /** Runs the parse on the reader thread, at most {@link #READ_AHEAD} chunks ahead of the route. */
    private static final class ReadAhead implements Runnable {
        private final Parse parse;
        private final Duration stallTimeout;
        private final String fileName;
        private final BlockingQueue<Chunk> ready = new ArrayBlockingQueue<>(READ_AHEAD);
        private volatile boolean cancelled;

        ReadAhead(Parse parse, Duration stallTimeout, String fileName) {
            this.parse = parse;
            this.stallTimeout = stallTimeout;
            this.fileName = fileName;
        }

        @Override
        public void run() {
            try {
                Chunk chunk;
                do {
                    chunk = parse.next();
                    while (!ready.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                        if (cancelled) {
                            return;
                        }
                    }
                } while (!chunk.last() && !cancelled);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * The next chunk; a reader that produced nothing for {@code stallTimeout} (a file system that
         * stopped answering, say) fails the read, and the intake goes on with other files.
         */
        Chunk take() throws InterruptedException {
            Chunk chunk = ready.poll(stallTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (chunk == null) {
                cancel();
                throw new ReadStalledException(String.format(java.util.Locale.ROOT,
                        "no progress reading %s for %s (pipeline.limits.read-stall-timeout)", fileName,
                        stallTimeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT)));
            }
            return chunk;
        }

        /** The route stopped taking chunks (the file failed, or the context stops): stop parsing. */
        void cancel() {
            cancelled = true;
            ready.clear();
        }
    }

    /** A read that made no progress for the configured time. */
    public static final class ReadStalledException extends IllegalStateException {
        ReadStalledException(String message) {
            super(message);
        }
    }

    /** The route's side: one chunk at a time, counted in the file's intake as it is taken. */
    private static class Chunks implements Iterator<List<CsvLine>>, Closeable {
        private final FileIntake intake;
        private final Source source;
        private Chunk next;
        private boolean ended;

        Chunks(FileIntake intake, Source source) {
            this.intake = intake;
            this.source = source;
        }

        @Override
        public boolean hasNext() {
            if (!ended && intake.unreportable() != null) {
                // Its rejected rows can no longer be reported: the read stops here, once.
                ended = true;
                next = null;
                intake.readEnded();
                intake.requireReportable();
            }
            while (next == null && !ended) {
                Chunk chunk;
                try {
                    chunk = source.next();
                } catch (InterruptedException e) {
                    intake.readEnded();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while reading " + intake.fileName(), e);
                } catch (RuntimeException e) {
                    intake.readEnded();
                    throw e;
                }
                intake.counted(chunk.rows(), chunk.blankLines());
                ended = chunk.last();
                if (ended) {
                    intake.readEnded();
                }
                if (chunk.failure() != null) {
                    throw chunk.failure();
                }
                if (!chunk.lines().isEmpty()) {
                    next = chunk;
                }
            }
            return next != null;
        }

        @Override
        public List<CsvLine> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<CsvLine> lines = next.lines();
            next = null;
            return lines;
        }

        @Override
        public void close() {
            // nothing read ahead
        }
    }
}
