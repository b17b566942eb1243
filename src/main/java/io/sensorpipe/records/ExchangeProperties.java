package io.sensorpipe.records;

/**
 * The names of the exchange properties the routes and their beans pass a file's state in, in one place.
 * The routes' YAML spells the same names ({@code ${exchangeProperty.fileIntake}}).
 */
public final class ExchangeProperties {

    /** The file being read ({@code io.sensorpipe.intake.FileIntake}), shared with the split's sub-exchanges. */
    public static final String FILE_INTAKE = "fileIntake";
    /** What the intake decided on a file's arrival ({@code io.sensorpipe.intake.IngestLedger.Verdict}). */
    public static final String INTAKE_VERDICT = "intakeVerdict";
    /** The file's arrival as recorded ({@code io.sensorpipe.intake.IngestLedger.Arrival}): its id and verdict. */
    public static final String ARRIVAL = "arrival";
    /** How the file's header lays out its source's columns ({@code io.sensorpipe.sources.CsvLayout}). */
    public static final String CSV_LAYOUT = "csvLayout";
    /** The file's open reader. */
    public static final String CSV_READER = "csvReader";
    /** The physical line of the row being validated. */
    public static final String CSV_LINE_NUMBER = "csvLineNumber";
    /** The text of the row being validated, as it stood in the file. */
    public static final String CSV_LINE_RAW = "csvLineRaw";
    /** Why a row was rejected: a list of {@link Reason}. */
    public static final String REJECTION_REASONS = "rejectionReasons";
    /** The topic the readings go to. */
    public static final String READINGS_TOPIC = "readingsTopic";
    /** A chunk's valid readings, in line order. */
    public static final String VALID_READINGS = "validReadings";
    /** How many rows of a chunk are valid. */
    public static final String VALID_ROW_COUNT = "validRowCount";
    /** Why a file was quarantined whole. */
    public static final String QUARANTINE_REASON = "quarantineReason";
    /** The lifecycle event a route publishes ({@link FileEvent}). */
    public static final String FILE_EVENT = "fileEvent";
    /** The Kafka records of one loader batch, whose offsets are committed after the database. */
    public static final String KAFKA_RECORDS = "kafkaRecords";

    private ExchangeProperties() {
    }
}
