package io.sensorpipe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every {@code pipeline.*} setting. Bound at start-up, so a misspelt key fails the start instead of
 * being ignored. Route files read the same keys as {@code {{pipeline.…}}} placeholders.
 */
@ConfigMapping(prefix = "pipeline")
public interface PipelineConfig {

    /** Folder polled for {@code *.csv} files. */
    @WithDefault("data")
    String dataDir();

    /** Folder that receives rejected rows and unreadable files. */
    @WithDefault("quarantine")
    String quarantineDir();

    /** Time between two polls of the data folder. */
    @WithDefault("5s")
    Duration pollInterval();

    /** How long a file must stay unchanged before it is read. */
    @WithDefault("1s")
    Duration readLockInterval();

    /**
     * How long a claim on an input file outlives the instance that holds it: an instance refreshes its
     * claims every third of this; after a crash, another instance reads the files it held (that were
     * still in the data folder) once this has passed.
     */
    @WithDefault("30s")
    Duration claimExpiry();

    /**
     * A file with a larger share of rejected rows (in percent) is quarantined whole, none of its rows
     * loaded. 100 turns this off.
     */
    @WithDefault("50")
    double maxRejectedPercent();

    /** Rows validated and handed to Kafka together, as one record of the readings topic. */
    @WithDefault("250")
    int chunkSize();

    /**
     * How often PostgreSQL and the Kafka broker are checked; while one is unreachable, no new file is
     * read and readiness is DOWN.
     */
    @WithDefault("2s")
    Duration watchInterval();

    Topic topic();

    Failures failures();

    Limits limits();

    Status status();

    Ingest ingest();

    /** {@code POST /ingest}: uploads over HTTP, each a file like one dropped in the data folder. */
    interface Ingest {
        /** The endpoint exists only when this is true. */
        @WithDefault("false")
        boolean enabled();

        /**
         * The bearer tokens an upload may present ({@code PIPELINE_INGEST_TOKENS}, comma-separated); the
         * start fails with the endpoint on and none set. They open {@code /ingest} only.
         */
        Optional<List<String>> tokens();

        /** Largest upload as sent (compressed when sent compressed); a larger one is answered 413. */
        @WithDefault("1073741824")
        long maxBytes();

        /** Uploads being received or recorded at once; one more is answered 429. */
        @WithDefault("16")
        int maxInFlight();

        /** How long an {@code Idempotency-Key} is remembered with its answer. */
        @WithDefault("24h")
        Duration idempotencyKeyTtl();
    }

    /** {@code GET /status}. */
    interface Status {
        /**
         * Password of the user {@code status} when {@code /status} requires credentials
         * ({@code quarkus.http.auth.permission.status.policy=authenticated}, {@code PIPELINE_STATUS_AUTH}).
         */
        java.util.Optional<String> password();
    }

    /** What one file may hold; past a limit the file is quarantined whole, saying which. */
    interface Limits {
        /**
         * Longest record (a line, or lines joined by a quoted field), in characters. Bounds the memory one
         * record can take; the reports carry a record whole up to this length.
         */
        @WithDefault("1048576")
        int maxRecordChars();

        /** Largest file as dropped (compressed, for {@code X.csv.gz}), in bytes; 0 for no limit. */
        @WithDefault("0")
        long maxFileBytes();

        /** Largest content of one file once decompressed, in bytes; 0 for no limit. */
        @WithDefault("10737418240")
        long maxDecompressedBytes();

        /**
         * Largest content of a compressed file, as a multiple of its compressed size: CSV packs 5 to 20
         * times; a compression bomb, hundreds of times. 0 for no limit.
         */
        @WithDefault("100")
        double maxCompressionRatio();

        /**
         * Most bytes of row reports ({@code X.csv.rejected.csv} and {@code X.csv.errors.jsonl} together) one
         * file may write; past it the reports stop at a marked point and the file is quarantined whole.
         */
        @WithDefault("134217728")
        long maxReportBytes();

        /**
         * Most fields of a row: a longer row is rejected without its fields being kept, and a header with
         * more columns quarantines its file.
         */
        @WithDefault("1000")
        int maxFields();

        /**
         * Longest error text stored or shown (ingest_file.error, the reports' reasons, /status, the log);
         * a longer one is cut, saying how much.
         */
        @WithDefault("1000")
        int maxMessageChars();

        /**
         * A read that yields nothing for this long (a file system that stopped answering) fails; the
         * file counts a failed read and the intake goes on with other files.
         */
        @WithDefault("60s")
        java.time.Duration readStallTimeout();
    }

    /** The rules every source starts from; see {@code io.sensorpipe.sources.RuleSet}. */
    Rules rules();

    Loader loader();

    EmbeddedServices embeddedServices();

    interface Rules {
        /** Stamped on every rejection, so a report says which rules judged the row. */
        String version();

        /** Fields that must not be blank, unless a source says otherwise. */
        List<String> required();

        /**
         * Accepted timestamp formats, tried in order: {@code ISO} (ISO-8601, with or without an offset)
         * or a {@link java.time.format.DateTimeFormatter} pattern. A timestamp without an offset is UTC.
         */
        List<String> timestampFormats();

        /** Plausible range of each numeric field (lat, lon and the quantities), keyed by field. */
        Map<String, Range> range();

        interface Range {
            double min();

            double max();

            /** Unit of min and max; converted to the field's stored unit. */
            Optional<String> unit();
        }
    }

    /** Where the sources are declared; see {@code io.sensorpipe.sources.SourceCatalog}. */
    Sources sources();

    interface Sources {
        /** YAML files of sources, {@code classpath:…} or a path; read in order. */
        @WithDefault("classpath:sources.yaml")
        List<String> files();
    }

    interface Topic {
        /** Defaults, also read where the configuration is still being assembled (the embedded broker's topics). */
        String DEFAULT_READINGS = "sensor-readings";
        String DEFAULT_FILE_EVENTS = "file-events";
        String DEFAULT_DEAD_LETTERS = "sensor-readings.dlq";

        /** Topic that carries the standardised rows, a chunk of one file per record, keyed by file id. */
        @WithDefault(DEFAULT_READINGS)
        String readings();

        /** Topic of the file lifecycle events (DETECTED, LOADED, QUARANTINED, DUPLICATE), keyed by sha256. */
        @WithDefault(DEFAULT_FILE_EVENTS)
        String fileEvents();

        /**
         * Dead-letter topic: records of the readings topic that will never be loaded, with their original
         * key, value and headers and {@code sensorpipe.errors.*} headers saying why.
         */
        @WithDefault(DEFAULT_DEAD_LETTERS)
        String deadLetters();
    }

    /** How failures that are not outages are bounded (outages are waited out; see {@code io.sensorpipe.support.Failures}). */
    interface Failures {
        /**
         * Times a step that failed for a reason that is not an outage is tried again before its record is
         * dead-lettered or its file quarantined.
         */
        @WithDefault("2")
        int retries();

        /**
         * Reads of a file that may fail for a reason that is neither its content nor an outage (counted in
         * {@code ingest_file.failed_reads}); the last one quarantines it with its error.
         */
        @WithDefault("3")
        int maxFileReads();

        /**
         * Readiness is DOWN when records wait on the readings topic and the loader has committed nothing
         * for this long: it is stuck.
         */
        @WithDefault("2m")
        java.time.Duration stuckAfter();
    }

    interface Loader {
        /** Kafka consumer group of the loader. */
        @WithDefault("sensorpipe-loader")
        String groupId();

        /**
         * Static member id of the loader in its consumer group ({@code group.instance.id}), one per
         * instance: derived from the host name and the HTTP port unless set (see
         * {@code InstanceIdentityConfigSourceFactory}).
         */
        String instanceId();

        /**
         * Most Kafka records (chunks of up to {@code pipeline.chunk-size} rows each) in one loader batch:
         * one COPY, one transaction.
         */
        @WithDefault("40")
        int batchChunks();

        /** Longest wait before a partial batch is written. */
        @WithDefault("500")
        int batchTimeoutMs();

        /**
         * Files of one loader batch completed side by side (metrics, counts and status, each file in its
         * own transaction); the batch's offsets are committed once all are done.
         */
        @WithDefault("4")
        int completionThreads();
    }

    interface EmbeddedServices {
        /** Default of {@link #workDir()}, also read by the factory that starts the services. */
        String DEFAULT_WORK_DIR = "target/embedded-services";

        /**
         * Start an in-process Kafka broker and PostgreSQL when no broker or database is configured.
         * On in the dev and test profiles only; read by {@code EmbeddedServicesConfigSourceFactory}.
         */
        @WithDefault("false")
        boolean enabled();

        /** Where the embedded services keep their files. */
        @WithDefault(DEFAULT_WORK_DIR)
        String workDir();
    }
}
