package io.sensorpipe.load;

import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.LoadedSlice;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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


import io.sensorpipe.IngestStatus;
import io.sensorpipe.support.PipelineMetrics;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.SealRecord;
import io.sensorpipe.records.DeadLetterReason;
import io.sensorpipe.records.PoisonRecordException;
import io.sensorpipe.records.ReadingCodec;
import io.sensorpipe.records.SensorReading;

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

    private static final String COLUMNS = "file_id, line_number, site_id, measured_at,"
            + " pressure_hpa, temperature_c, humidity_pct, pm10_ugm3, pm25_ugm3";

    static final String LOCK_FILES = "SELECT id, status, file_name FROM ingest_file WHERE id = ANY (?) FOR SHARE";

    static final String COPY = "COPY reading (" + COLUMNS + ") FROM STDIN";

    static final String STAGE = "CREATE TEMPORARY TABLE IF NOT EXISTS staged_reading"
            + " (LIKE reading INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";

    static final String COPY_STAGED = "COPY staged_reading (" + COLUMNS + ") FROM STDIN";

    static final String INSERT_STAGED = "INSERT INTO reading (" + COLUMNS + ") SELECT " + COLUMNS
            + " FROM staged_reading ON CONFLICT (file_id, line_number) DO NOTHING RETURNING file_id, line_number";

    static final String INSERT = "INSERT INTO reading (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (file_id, line_number) DO NOTHING";

    static final String INSERT_EXTRA = "INSERT INTO reading_value (file_id, line_number, quantity, value)"
            + " SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::float8[])"
            + " ON CONFLICT (file_id, line_number, quantity) DO NOTHING";

    static final String REFUSE = "INSERT INTO refused_row (file_id, line_number, sql_state, reason, raw)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (file_id, line_number) DO NOTHING";

    /** pgjdbc sends each write to a COPY as one protocol message: about 64 KiB each keeps that cheap. */
    private static final int COPY_BUFFER = 64 * 1024;

    private final DataSource dataSource;
    private final PipelineMetrics metrics;
    private final DeadLetters deadLetters;
    private final SensorSites sites;
    private final StoredQuantities quantities;

    public ReadingBatchWriter(DataSource dataSource, PipelineMetrics metrics, DeadLetters deadLetters, SensorSites sites,
            StoredQuantities quantities) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.sites = sites;
        this.quantities = quantities;
    }

    /**
     * The configured quantities of the readings this batch inserted, into {@code reading_value} by one
     * statement; a value already there (a redelivery) is left as it is.
     */
    private void insertExtra(Connection c, Batch batch) throws SQLException {
        if (batch.inserted == null) {
            return;
        }
        List<Long> files = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < batch.readings.size(); i++) {
            SensorReading r = batch.readings.get(i);
            if (batch.inserted[i] && !r.extra().isEmpty()) {
                r.extra().forEach((name, value) -> {
                    files.add(r.fileId());
                    lines.add(r.line());
                    names.add(name);
                    values.add(value);
                });
            }
        }
        if (names.isEmpty()) {
            return;
        }
        quantities.register(new HashSet<>(names));
        try (PreparedStatement insert = c.prepareStatement(INSERT_EXTRA)) {
            insert.setArray(1, c.createArrayOf("bigint", files.toArray()));
            insert.setArray(2, c.createArrayOf("bigint", lines.toArray()));
            insert.setArray(3, c.createArrayOf("text", names.toArray()));
            insert.setArray(4, c.createArrayOf("float8", values.toArray()));
            insert.executeUpdate();
        }
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
        long start = System.nanoTime();
        Set<Long> processing;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                processing = load(c, batch);
                insertExtra(c, batch);
                deadLetters.record(c, batch.deadLetters);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                if (!isRefusedData(e)) {
                    throw e;
                }
                LOG.warnf("PostgreSQL refused a row of a batch of %d (%s): loading that batch row by row",
                        batch.readings.size(), firstLine(e));
                try {
                    processing = loadRowByRow(c, batch);
                    insertExtra(c, batch);
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
        return new LoadOutcome(forFilesInProgress(slices(batch.readings, batch.inserted, batch.refused), processing),
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
                Map<Long, String> names = new HashMap<>();
                Map<Long, String> status = lockFiles(c, ids, names);
                List<DeadLetter> letters = new ArrayList<>(records.size());
                fileIds.forEach((record, fileId) -> letters.add(DeadLetter.of(record,
                        provenFile(fileId, namesInRecords.get(record), status, names), DeadLetterReason.LOAD_FAILED,
                        cause)));
                Set<Long> quarantined = deadLetters.quarantineFiles(c, letters, status);
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
    private static final class Batch {
        final List<Exchange> records;
        final List<String> values;
        final List<Long> fileIds;
        final List<SensorReading> readings = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<FileSealed> seals = new ArrayList<>();
        /** Files quarantined in the current transaction because of a dead letter. */
        final Set<Long> quarantined = new HashSet<>();
        /** The batch's files' names as ingest_file has them. */
        final Map<Long, String> names = new HashMap<>();
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
            readings.addAll(ReadingCodec.decodeAll(values.get(decoded++)));
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
        void screen(Map<Long, String> status) {
            readings.clear();
            for (int i = 0; i < records.size(); i++) {
                try {
                    readings.addAll(ReadingCodec.decodeAll(values.get(i)));
                } catch (PoisonRecordException e) {
                    deadLetters.add(DeadLetter.of(records.get(i), provenFile(fileIds.get(i),
                            ReadingCodec.fileNameOf(values.get(i)), status, names), e.reason(), e));
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
        void setAsideUnknownFiles(Map<Long, String> status) {
            for (int i = records.size() - 1; i >= 0; i--) {
                if (!status.containsKey(fileIds.get(i))) {
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
        Map<Long, String> status = lockFiles(c, new HashSet<>(batch.fileIds), batch.names);
        batch.setAsideUnknownFiles(status);
        batch.quarantined.clear();
        batch.quarantined.addAll(deadLetters.quarantineFiles(c, batch.deadLetters, status));
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        Savepoint beforeCopy = c.setSavepoint();
        CopyIn in = copy.copyIn(COPY);
        try {
            StringBuilder text = new StringBuilder(COPY_BUFFER + 1024);
            int appended = 0;
            while (batch.decodeNext()) {
                for (; appended < batch.readings.size(); appended++) {
                    SensorReading r = batch.readings.get(appended);
                    if (isLoadable(status.get(r.fileId()))) {
                        copyRow(text, r, sites.idOf(r));
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
            batch.screen(status);
            batch.quarantined.addAll(deadLetters.quarantineFiles(c, batch.deadLetters, status));
            return copyDecoded(c, copy, batch, status);
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
            stageAndSkipLoaded(c, copy, batch, loadable(batch, status));
            return inProgress(status);
        }
        batch.inserted = new boolean[batch.readings.size()];
        batch.refused = new boolean[batch.readings.size()];
        for (int i : loadable(batch, status)) {
            batch.inserted[i] = true;
        }
        return inProgress(status);
    }

    /** The batch's readings, all decoded already, by one COPY, or through the stage when some are loaded. */
    private Set<Long> copyDecoded(Connection c, CopyManager copy, Batch batch, Map<Long, String> status)
            throws SQLException, IOException {
        List<Integer> loadable = loadable(batch, status);
        StringBuilder text = new StringBuilder(loadable.size() * 96);
        for (int i : loadable) {
            copyRow(text, batch.readings.get(i), sites.idOf(batch.readings.get(i)));
        }
        Savepoint beforeCopy = c.setSavepoint();
        try {
            copy.copyIn(COPY, new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)),
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
        return inProgress(status);
    }

    /** The same rows one by one, each under a savepoint, with the ones PostgreSQL refuses in {@code refused_row}. */
    private Set<Long> loadRowByRow(Connection c, Batch batch) throws SQLException, IOException {
        Map<Long, String> status = lockFiles(c, new HashSet<>(batch.fileIds), batch.names);
        batch.screen(status);
        batch.quarantined.clear();
        batch.quarantined.addAll(deadLetters.quarantineFiles(c, batch.deadLetters, status));
        insertRowByRow(c, batch.readings, loadable(batch, status), batch.inserted, batch.refused);
        return inProgress(status);
    }

    private static List<Integer> loadable(Batch batch, Map<Long, String> status) {
        List<Integer> loadable = new ArrayList<>(batch.readings.size());
        for (int i = 0; i < batch.readings.size(); i++) {
            if (isLoadable(status.get(batch.readings.get(i).fileId()))) {
                loadable.add(i);
            }
        }
        return loadable;
    }

    private static boolean isLoadable(String fileStatus) {
        return fileStatus != null && !IngestStatus.QUARANTINED.is(fileStatus);
    }

    private static Set<Long> inProgress(Map<Long, String> status) {
        Set<Long> processing = new HashSet<>();
        status.forEach((id, s) -> {
            if (IngestStatus.PROCESSING.is(s)) {
                processing.add(id);
            }
        });
        return processing;
    }

    /** Share-locks the files' rows; returns their statuses and puts their names in {@code names}. */
    private static Map<Long, String> lockFiles(Connection c, Set<Long> fileIds, Map<Long, String> names)
            throws SQLException {
        Map<Long, String> status = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_FILES)) {
            ps.setArray(1, c.createArrayOf("bigint", fileIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    status.put(rs.getLong(1), rs.getString(2));
                    names.put(rs.getLong(1), rs.getString(3));
                }
            }
        }
        return status;
    }

    /**
     * The file a record that cannot be loaded is pinned on: the one it names only when ingest_file knows
     * that id under the name the record gives too; otherwise none, and the record is dead-lettered alone.
     */
    private static Long provenFile(Long fileId, String nameInRecord, Map<Long, String> status, Map<Long, String> names) {
        return fileId != null && status.containsKey(fileId) && nameInRecord != null
                && nameInRecord.equals(names.get(fileId)) ? fileId : null;
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
            copyRow(text, batch.readings.get(i), sites.idOf(batch.readings.get(i)));
        }
        Map<Long, Set<Long>> linesPerFile = new HashMap<>();
        try (Statement st = c.createStatement()) {
            st.execute(STAGE);
            copy.copyIn(COPY_STAGED, new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)),
                    COPY_BUFFER);
            try (ResultSet rs = st.executeQuery(INSERT_STAGED)) {
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

    /** One row in COPY's text format: tab-separated, {@code \N} for null; every column is a number or a timestamp. */
    private static void copyRow(StringBuilder text, SensorReading r, long siteId) {
        text.append(r.fileId()).append('\t').append(r.line()).append('\t').append(siteId);
        timestamp(text.append('\t'), r.measuredAt());
        fixed(text, r.pressureHpa(), SensorReading.PRESSURE_DECIMALS);
        fixed(text, r.temperatureC(), SensorReading.READING_DECIMALS);
        fixed(text, r.humidityPct(), SensorReading.READING_DECIMALS);
        fixed(text, r.pm10Ugm3(), SensorReading.READING_DECIMALS);
        fixed(text, r.pm25Ugm3(), SensorReading.READING_DECIMALS);
        text.append('\n');
    }

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /**
     * A reading at its stored precision as plain decimal text ({@code 42.686000}): PostgreSQL reads
     * back the same double, and this costs a fraction of {@code Double.toString}.
     */
    static void fixed(StringBuilder text, Double value, int decimals) {
        text.append('\t');
        if (value == null) {
            text.append("\\N");
            return;
        }
        long scale = POWERS_OF_TEN[decimals];
        long units = Math.round(value * scale);
        if (units < 0) {
            text.append('-');
            units = -units;
        }
        text.append(units / scale).append('.');
        String fraction = Long.toString(units % scale);
        for (int i = fraction.length(); i < decimals; i++) {
            text.append('0');
        }
        text.append(fraction);
    }

    /** {@code yyyy-MM-dd HH:mm:ss.nnnnnnnnnZ}, written digit by digit; other years as {@link Instant#toString}. */
    static void timestamp(StringBuilder text, Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            // PostgreSQL judges these (beyond its range: refused, and quarantined with its reason)
            text.append(instant);
            return;
        }
        text.append(t.getYear()).append('-');
        two(text, t.getMonthValue()).append('-');
        two(text, t.getDayOfMonth()).append(' ');
        two(text, t.getHour()).append(':');
        two(text, t.getMinute()).append(':');
        two(text, t.getSecond());
        if (t.getNano() != 0) {
            String nanos = Integer.toString(t.getNano());
            text.append('.');
            for (int i = nanos.length(); i < 9; i++) {
                text.append('0');
            }
            text.append(nanos);
        }
        text.append('Z');
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean flag : flags) {
            n += flag ? 1 : 0;
        }
        return n;
    }

    /**
     * Keeps the slices of files still {@code PROCESSING}: rows of a file already finished (delivered
     * again after a lost offset commit, or of a file quarantined whole) have nothing left to complete,
     * and would only open an aggregate that never completes.
     */
    private static List<LoadedSlice> forFilesInProgress(List<LoadedSlice> slices, Set<Long> processing) {
        List<LoadedSlice> kept = new ArrayList<>(slices.size());
        for (LoadedSlice slice : slices) {
            if (processing.contains(slice.fileId())) {
                kept.add(slice);
            } else {
                LOG.debugf("%d rows of finished file %d delivered again: skipped", slice.rowsSeen(), slice.fileId());
            }
        }
        return kept;
    }

    private void insertRowByRow(Connection c, List<SensorReading> readings, List<Integer> loadable,
            boolean[] inserted, boolean[] refused) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(INSERT);
                PreparedStatement refuse = c.prepareStatement(REFUSE)) {
            for (int i : loadable) {
                SensorReading r = readings.get(i);
                Savepoint row = c.setSavepoint();
                try {
                    bind(insert, r, sites.idOf(r));
                    inserted[i] = insert.executeUpdate() > 0;
                    c.releaseSavepoint(row);
                } catch (SQLException e) {
                    c.rollback(row);
                    if (!isRefusedData(e)) {
                        throw e;
                    }
                    refuse.setLong(1, r.fileId());
                    refuse.setLong(2, r.line());
                    refuse.setString(3, e.getSQLState());
                    refuse.setString(4, firstLine(e));
                    refuse.setString(5, r.raw() == null ? "" : r.raw());
                    refused[i] = refuse.executeUpdate() > 0;
                    LOG.warnf("%s line %d refused by PostgreSQL: %s", r.fileName(), r.line(), firstLine(e));
                }
            }
        }
    }

    private static List<LoadedSlice> slices(List<SensorReading> readings, boolean[] inserted, boolean[] refused) {
        Map<Long, List<SensorReading>> insertedPerFile = new LinkedHashMap<>();
        Map<Long, int[]> refusedAndSeen = new LinkedHashMap<>();
        for (int i = 0; i < readings.size(); i++) {
            SensorReading r = readings.get(i);
            List<SensorReading> rows = insertedPerFile.computeIfAbsent(r.fileId(), id -> new ArrayList<>());
            int[] counts = refusedAndSeen.computeIfAbsent(r.fileId(), id -> new int[2]);
            if (inserted[i]) {
                rows.add(r);
            }
            if (refused[i]) {
                counts[0]++;
            }
            counts[1]++;
        }
        List<LoadedSlice> slices = new ArrayList<>(insertedPerFile.size());
        insertedPerFile.forEach((fileId, rows) -> slices.add(
                new LoadedSlice(fileId, rows, refusedAndSeen.get(fileId)[0], refusedAndSeen.get(fileId)[1])));
        return slices;
    }

    /**
     * Whether PostgreSQL refused the data itself (SQLSTATE class 22, data exception, or 23, integrity
     * constraint violation), which no retry can cure, as opposed to being unreachable or overloaded.
     */
    static boolean isRefusedData(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(SQLException e) {
        SQLException x = e.getNextException() != null ? e.getNextException() : e;
        String message = String.valueOf(x.getMessage());
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    private static void bind(PreparedStatement ps, SensorReading r, long siteId) throws SQLException {
        ps.setLong(1, r.fileId());
        ps.setLong(2, r.line());
        ps.setLong(3, siteId);
        ps.setObject(4, r.measuredAt().atOffset(ZoneOffset.UTC));
        setDouble(ps, 5, r.pressureHpa());
        setDouble(ps, 6, r.temperatureC());
        setDouble(ps, 7, r.humidityPct());
        setDouble(ps, 8, r.pm10Ugm3());
        setDouble(ps, 9, r.pm25Ugm3());
    }

    private static void setDouble(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }
}
