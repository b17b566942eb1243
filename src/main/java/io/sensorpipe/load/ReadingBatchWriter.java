package io.sensorpipe.load;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

import io.sensorpipe.records.DeadLetterReason;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.PoisonRecordException;
import io.sensorpipe.records.Quantities;
import io.sensorpipe.records.ReadingCodec;
import io.sensorpipe.records.SealRecord;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.sources.SourceCatalog;
import io.sensorpipe.support.PipelineMetrics;

/**
 * Loads a batch of readings in one transaction. It first takes a share lock on the batch's
 * {@code ingest_file} rows: a file quarantined whole (decided under an exclusive lock) gets no rows,
 * and one no longer {@code PROCESSING} gets no metrics. The rows then go in by one {@code COPY}. Should
 * some be there already (same file and line: a batch delivered again by Kafka after a crash), the
 * COPY fails on the key and the batch goes through a temporary table instead, whose
 * {@code INSERT ... ON CONFLICT DO NOTHING} skips them, so a row is never doubled. When PostgreSQL
 * refuses a row's data (SQLSTATE class 22 or 23, e.g. a timestamp beyond its range), the batch is
 * rolled back and loaded again row by row, each under a savepoint: the refused rows go to
 * {@code refused_row} with the database's reason and the others are loaded. A record that cannot be
 * decoded, or that belongs to no known file, is set aside as a dead letter. Any other failure (the
 * database unreachable, say) is thrown for the route to handle.
 */
@ApplicationScoped
@Named("readingBatchWriter")
public class ReadingBatchWriter {

    private static final Logger LOG = Logger.getLogger(ReadingBatchWriter.class);

    static final String STAGE = "CREATE TEMPORARY TABLE IF NOT EXISTS staged_reading"
            + " (LIKE reading INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";

    /** pgjdbc sends each write to a COPY as one protocol message: about 64 KiB each keeps that cheap. */
    private static final int COPY_BUFFER = 64 * 1024;

    private final DataSource dataSource;
    private final PipelineMetrics metrics;
    private final DeadLetters deadLetters;
    private final SensorSites sites;
    private final StoredQuantities quantities;
    private final Quantities order;
    private final ReadingRow row;
    /** The statements of a row as the declared quantities fill it (their columns are checked before the first load). */
    private final String copy;
    private final String copyStaged;
    private final String insertStaged;

    public ReadingBatchWriter(DataSource dataSource, PipelineMetrics metrics, DeadLetters deadLetters, SensorSites sites,
            StoredQuantities quantities, SourceCatalog sources) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.sites = sites;
        this.quantities = quantities;
        this.order = sources.order();
        this.row = quantities.row();
        this.copy = "COPY reading (" + row.columns() + ") FROM STDIN";
        this.copyStaged = "COPY staged_reading (" + row.columns() + ") FROM STDIN";
        this.insertStaged = "INSERT INTO reading (" + row.columns() + ") SELECT " + row.columns()
                + " FROM staged_reading ON CONFLICT (file_id, line_number) DO NOTHING RETURNING file_id, line_number";
    }

    /**
     * Body: the Kafka records of one poll batch. Returns, per file, what this call did with its rows,
     * and the records that can never be loaded (not a readings chunk, malformed, not UTF-8, of a file
     * {@code ingest_file} does not know), which are recorded in {@code dead_letter} in the same
     * transaction as the batch's rows; a file one of them belongs to is quarantined in it too. Any
     * other failure is thrown: the route retries it, waiting while it is transient.
     */
    public LoadOutcome insert(@Body List<Exchange> records) throws SQLException, IOException {
        Batch batch = new Batch(records.size());
        for (Exchange record : records) {
            try {
                String value = ReadingCodec.text(record.getMessage().getBody(byte[].class));
                if (SealRecord.isSeal(value)) {
                    batch.seals.add(SealRecord.decode(value));
                    continue;
                }
                batch.add(record, value, ReadingCodec.fileIdOf(value));
            } catch (PoisonRecordException e) {
                batch.deadLetters.add(DeadLetter.of(record, null, e.reason(), e));
            }
        }
        quantities.checkColumns();
        long start = System.nanoTime();
        Set<Long> processing;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                processing = load(c, batch);
                ExtraValues.insert(c, batch.readings, batch.inserted, quantities);
                deadLetters.record(c, batch.deadLetters);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!RowByRow.isRefusedData(e)) {
                    throw e;
                }
                LOG.warnf("PostgreSQL refused a row of a batch of %d (%s): loading that batch row by row",
                        batch.readings.size(), RowByRow.firstLine(e));
                try {
                    processing = loadRowByRow(c, batch);
                    ExtraValues.insert(c, batch.readings, batch.inserted, quantities);
                    deadLetters.record(c, batch.deadLetters);
                    c.commit();
                } catch (SQLException | RuntimeException again) {
                    c.rollback();
                    throw again;
                }
            } catch (IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        metrics.batchLoaded(batch.readings.size(), count(batch.inserted), System.nanoTime() - start);
        metrics.refused(count(batch.refused));
        return new LoadOutcome(LoadedSlices.forFilesInProgress(LoadedSlices.of(batch.readings, batch.inserted, batch.refused),
                processing),
                batch.deadLetters, Set.copyOf(batch.quarantined), List.copyOf(batch.seals));
    }

    /**
     * The last resort of the loader's error handling, for a batch whose load kept failing for a reason
     * that is not an outage (a defect, say, rather than a record): every record of it becomes a dead
     * letter, and the files they carry are quarantined, in one transaction.
     */
    public LoadOutcome deadLetterAll(@ExchangeProperty(ExchangeProperties.KAFKA_RECORDS) List<Exchange> records,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) throws SQLException {
        Map<Exchange, Long> fileIds = new LinkedHashMap<>();
        Map<Exchange, String> namesInRecords = new HashMap<>();
        for (Exchange record : records) {
            try {
                String value = ReadingCodec.text(record.getMessage().getBody(byte[].class));
                if (SealRecord.isSeal(value)) {
                    FileSealed seal = SealRecord.decode(value);
                    fileIds.put(record, seal.fileId());
                    namesInRecords.put(record, seal.fileName());
                } else {
                    fileIds.put(record, ReadingCodec.fileIdOf(value));
                    namesInRecords.put(record, ReadingCodec.fileNameOf(value));
                }
            } catch (RuntimeException e) {
                fileIds.put(record, null);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Set<Long> ids = new HashSet<>(fileIds.values());
                ids.remove(null);
                LockedFiles files = LockedFiles.lock(c, ids);
                List<DeadLetter> letters = new ArrayList<>(records.size());
                fileIds.forEach((record, fileId) -> letters.add(DeadLetter.of(record,
                        files.provenFile(fileId, namesInRecords.get(record)), DeadLetterReason.LOAD_FAILED,
                        cause)));
                Set<Long> quarantined = deadLetters.quarantineFiles(c, letters, files.status());
                deadLetters.record(c, letters);
                c.commit();
                return new LoadOutcome(List.of(), letters, quarantined, List.of());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** One poll's record values, decoded as the load goes, and what became of each reading. */
    private final class Batch {
        final List<Exchange> records;
        final List<String> values;
        final List<Long> fileIds;
        final List<SensorReading> readings = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<FileSealed> seals = new ArrayList<>();
        /** Files quarantined in the current transaction because of a dead letter. */
        final Set<Long> quarantined = new HashSet<>();
        int decoded;
        boolean[] inserted = new boolean[0];
        boolean[] refused = new boolean[0];

        Batch(int records) {
            this.records = new ArrayList<>(records);
            values = new ArrayList<>(records);
            fileIds = new ArrayList<>(records);
        }

        void add(Exchange record, String value, long fileId) {
            records.add(record);
            values.add(value);
            fileIds.add(fileId);
        }

        /** Decodes the next record value; false when all are. */
        boolean decodeNext() {
            if (decoded == values.size()) {
                return false;
            }
            readings.addAll(ReadingCodec.decodeAll(values.get(decoded++), order));
            return true;
        }

        void decodeAll() {
            while (decodeNext()) {
                // all of them
            }
            inserted = new boolean[readings.size()];
            refused = new boolean[readings.size()];
        }

        /**
         * Decodes every record on its own, setting aside those that do not decode: each becomes a dead
         * letter and its file is quarantined (its other rows cannot make a complete file).
         */
        void screen(LockedFiles files) {
            readings.clear();
            for (int i = 0; i < records.size(); i++) {
                try {
                    readings.addAll(ReadingCodec.decodeAll(values.get(i), order));
                } catch (PoisonRecordException e) {
                    deadLetters.add(DeadLetter.of(records.get(i), files.provenFile(fileIds.get(i),
                            ReadingCodec.fileNameOf(values.get(i))), e.reason(), e));
                    records.remove(i);
                    values.remove(i);
                    fileIds.remove(i--);
                }
            }
            decoded = values.size();
            inserted = new boolean[readings.size()];
            refused = new boolean[readings.size()];
        }

        /** Records of files {@code ingest_file} does not know become dead letters. */
        void setAsideUnknownFiles(LockedFiles files) {
            for (int i = records.size() - 1; i >= 0; i--) {
                if (!files.knows(fileIds.get(i))) {
                    deadLetters.add(DeadLetter.of(records.get(i), null, DeadLetterReason.UNKNOWN_FILE,
                            new PoisonRecordException(DeadLetterReason.UNKNOWN_FILE, "a chunk of file id "
                                    + fileIds.get(i) + ", which ingest_file does not know")));
                    records.remove(i);
                    values.remove(i);
                    fileIds.remove(i);
                }
            }
        }
    }

    /**
     * Loads the rows of files not quarantined by one COPY, which PostgreSQL works through while the
     * next records are decoded; returns the ids of the batch's files still in progress.
     */
    private Set<Long> load(Connection c, Batch batch) throws SQLException, IOException {
        LockedFiles files = LockedFiles.lock(c, new HashSet<>(batch.fileIds));
        batch.setAsideUnknownFiles(files);
        batch.quarantined.clear();
        batch.quarantined.addAll(deadLetters.quarantineFiles(c, batch.deadLetters, files.status()));
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        Savepoint beforeCopy = c.setSavepoint();
        CopyIn in = copy.copyIn(this.copy);
        try {
            StringBuilder text = new StringBuilder(COPY_BUFFER + 1024);
            int appended = 0;
            while (batch.decodeNext()) {
                for (; appended < batch.readings.size(); appended++) {
                    SensorReading r = batch.readings.get(appended);
                    if (files.isLoadable(r.fileId())) {
                        row.copyRow(text, r, sites.idOf(r));
                    }
                }
                if (text.length() >= COPY_BUFFER) {
                    write(in, text);
                }
            }
            write(in, text);
            in.endCopy();
            c.releaseSavepoint(beforeCopy);
        } catch (PoisonRecordException e) {
            // A record that does not decode: end the COPY, set that record aside, and load the others.
            if (in.isActive()) {
                in.cancelCopy();
            }
            c.rollback(beforeCopy);
            batch.screen(files);
            batch.quarantined.addAll(deadLetters.quarantineFiles(c, batch.deadLetters, files.status()));
            return copyDecoded(c, copy, batch, files);
        } catch (RuntimeException e) {
            if (in.isActive()) {
                in.cancelCopy();
            }
            throw e;
        } catch (SQLException e) {
            if (in.isActive()) {
                in.cancelCopy();
            }
            c.rollback(beforeCopy);
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            batch.decodeAll();
            stageAndSkipLoaded(c, copy, batch, loadable(batch, files));
            return files.inProgress();
        }
        batch.inserted = new boolean[batch.readings.size()];
        batch.refused = new boolean[batch.readings.size()];
        for (int i : loadable(batch, files)) {
            batch.inserted[i] = true;
        }
        return files.inProgress();
    }

    /** The batch's readings, all decoded already, by one COPY, or through the stage when some are loaded. */
    private Set<Long> copyDecoded(Connection c, CopyManager copy, Batch batch, LockedFiles files)
            throws SQLException, IOException {
        List<Integer> loadable = loadable(batch, files);
        StringBuilder text = new StringBuilder(loadable.size() * 96);
        for (int i : loadable) {
            row.copyRow(text, batch.readings.get(i), sites.idOf(batch.readings.get(i)));
        }
        Savepoint beforeCopy = c.setSavepoint();
        try {
            copy.copyIn(this.copy, new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)),
                    COPY_BUFFER);
            c.releaseSavepoint(beforeCopy);
            for (int i : loadable) {
                batch.inserted[i] = true;
            }
        } catch (SQLException e) {
            c.rollback(beforeCopy);
            if (!"23505".equals(e.getSQLState())) {
                throw e;
            }
            stageAndSkipLoaded(c, copy, batch, loadable);
        }
        return files.inProgress();
    }

    /** The same rows one by one, each under a savepoint, with the ones PostgreSQL refuses in {@code refused_row}. */
    private Set<Long> loadRowByRow(Connection c, Batch batch) throws SQLException, IOException {
        LockedFiles files = LockedFiles.lock(c, new HashSet<>(batch.fileIds));
        batch.screen(files);
        batch.quarantined.clear();
        batch.quarantined.addAll(deadLetters.quarantineFiles(c, batch.deadLetters, files.status()));
        RowByRow.insert(c, row, batch.readings, loadable(batch, files), batch.inserted, batch.refused, sites);
        return files.inProgress();
    }

    /** The indexes of the batch's readings whose files may get rows. */
    private static List<Integer> loadable(Batch batch, LockedFiles files) {
        List<Integer> loadable = new ArrayList<>(batch.readings.size());
        for (int i = 0; i < batch.readings.size(); i++) {
            if (files.isLoadable(batch.readings.get(i).fileId())) {
                loadable.add(i);
            }
        }
        return loadable;
    }

    /** pgjdbc sends each write as one protocol message. */
    private static void write(CopyIn in, StringBuilder text) throws SQLException {
        if (!text.isEmpty()) {
            byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
            in.writeToCopy(bytes, 0, bytes.length);
            text.setLength(0);
        }
    }

    /**
     * Some of these rows are loaded already (a batch delivered again): stage the batch in a temporary
     * table and let the key skip those.
     */
    private void stageAndSkipLoaded(Connection c, CopyManager copy, Batch batch, List<Integer> loadable)
            throws SQLException, IOException {
        StringBuilder text = new StringBuilder(loadable.size() * 96);
        for (int i : loadable) {
            row.copyRow(text, batch.readings.get(i), sites.idOf(batch.readings.get(i)));
        }
        Map<Long, Set<Long>> linesPerFile = new HashMap<>();
        try (Statement st = c.createStatement()) {
            st.execute(STAGE);
            copy.copyIn(copyStaged, new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)),
                    COPY_BUFFER);
            try (ResultSet rs = st.executeQuery(insertStaged)) {
                while (rs.next()) {
                    linesPerFile.computeIfAbsent(rs.getLong(1), f -> new HashSet<>()).add(rs.getLong(2));
                }
            }
        }
        for (int i : loadable) {
            SensorReading r = batch.readings.get(i);
            batch.inserted[i] = linesPerFile.getOrDefault(r.fileId(), Set.of()).contains(r.line());
        }
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean flag : flags) {
            n += flag ? 1 : 0;
        }
        return n;
    }

}
