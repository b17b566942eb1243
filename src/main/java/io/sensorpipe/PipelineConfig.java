package io.sensorpipe;

import java.time.Duration;

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

    /** Character set of the input files; a file that does not decode in it is quarantined whole. */
    @WithDefault("UTF-8")
    String charset();

    /** Rows validated and handed to Kafka together; one Kafka round trip per chunk. */
    @WithDefault("1000")
    int chunkSize();

    Topic topic();

    Loader loader();

    EmbeddedServices embeddedServices();

    interface Topic {
        /** Topic that carries the standardised rows, keyed by sensor id. */
        @WithDefault("sensor-readings")
        String readings();
    }

    interface Loader {
        /** Kafka consumer group of the loader. */
        @WithDefault("sensorpipe-loader")
        String groupId();

        /** Most rows in one JDBC batch (one transaction). */
        @WithDefault("2000")
        int batchSize();

        /** Longest wait before a partial batch is written. */
        @WithDefault("500")
        int batchTimeoutMs();
    }

    interface EmbeddedServices {
        /**
         * Start an in-process Kafka broker and PostgreSQL when no broker or database is configured.
         * On in the dev and test profiles only; read by {@code EmbeddedServicesConfigSourceFactory}.
         */
        @WithDefault("false")
        boolean enabled();

        /** Where the embedded services keep their files. */
        @WithDefault("target/embedded-services")
        String workDir();
    }
}
