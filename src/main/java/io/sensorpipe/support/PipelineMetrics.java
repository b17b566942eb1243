package io.sensorpipe.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

import io.sensorpipe.IngestStatus;
import io.sensorpipe.records.DeadLetterReason;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.records.Reason;

/**
 * The pipeline's own meters on {@code /q/metrics} (Camel's per-route meters come from
 * camel-quarkus-micrometer): rows read, loaded and rejected (also per field and rule), loader batch
 * sizes and insert latency, and gauges the service watch refreshes: files per status, the loader's
 * consumer lag and the age of the oldest file waiting in the data folder.
 */
@ApplicationScoped
@Named("pipelineMetrics")
public class PipelineMetrics {

    private final MeterRegistry registry;
    private final Counter rowsRead;
    private final Counter rowsRejected;
    private final Counter rowsLoaded;
    private final DistributionSummary batchSize;
    private final Timer insert;
    private final Map<String, AtomicLong> files = new ConcurrentHashMap<>();
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong oldestWaitingSeconds = new AtomicLong();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        rowsRead = Counter.builder("sensorpipe.rows.read").description("Data rows read from input files")
                .register(registry);
        rowsRejected = Counter.builder("sensorpipe.rows.rejected")
                .description("Rows quarantined: broke a rule or refused by the database").register(registry);
        rowsLoaded = Counter.builder("sensorpipe.rows.loaded").description("Rows inserted into reading")
                .register(registry);
        batchSize = DistributionSummary.builder("sensorpipe.loader.batch.size").baseUnit("rows")
                .description("Records per loader batch").register(registry);
        insert = Timer.builder("sensorpipe.loader.insert").description("Time to insert and commit one batch")
                .register(registry);
        for (IngestStatus s : IngestStatus.values()) {
            String status = s.name();
            AtomicLong count = files.computeIfAbsent(status, k -> new AtomicLong());
            Gauge.builder("sensorpipe.files", count, AtomicLong::get).tag("status", status)
                    .description("Files in ingest_file per status").register(registry);
        }
        // Every reason at 0 from the start: a dashboard's rate is 0, not "no data", until the first one.
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters(reason.tag());
        }
        Gauge.builder("sensorpipe.loader.lag", lag, AtomicLong::get).baseUnit("records")
                .description("Records on the readings topic not yet committed by the loader").register(registry);
        Gauge.builder("sensorpipe.data.oldest.waiting", oldestWaitingSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Age of the oldest file in the data folder (0 when empty)").register(registry);
    }

    /** A file read to its end, or quarantined whole: its rows count as read. */
    public void fileRead(@Body FileSealed sealed) {
        rowsRead.increment(sealed.rowsTotal());
    }

    /** A row the rules rejected, counted once and once per broken rule. */
    public void rowRejected(@ExchangeProperty(ExchangeProperties.REJECTION_REASONS) List<Reason> reasons) {
        rowsRejected.increment();
        for (Reason reason : reasons) {
            rejection(reason.field(), reason.rule());
        }
    }

    /** Rows PostgreSQL refused. */
    public void refused(int rows) {
        if (rows > 0) {
            rowsRejected.increment(rows);
            Counter.builder("sensorpipe.rejections").tag("field", "row").tag("rule", "database")
                    .register(registry).increment(rows);
        }
    }

    /** One loader batch: its size, how many rows it inserted for the first time, and how long it took. */
    public void batchLoaded(int records, int inserted, long nanos) {
        batchSize.record(records);
        rowsLoaded.increment(inserted);
        insert.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void files(Map<String, Long> perStatus) {
        for (IngestStatus s : IngestStatus.values()) {
            files.get(s.name()).set(perStatus.getOrDefault(s.name(), 0L));
        }
    }

    public void lag(long records) {
        lag.set(records);
    }

    /** Records on the readings topic not yet committed by the loader, as the service watch last saw. */
    public long lag() {
        return lag.get();
    }

    /** A record of the readings topic sent to the dead-letter topic. */
    public void deadLettered(String reason) {
        deadLetters(reason).increment();
    }

    private Counter deadLetters(String reason) {
        return Counter.builder("sensorpipe.dead.letters").description("Records sent to the dead-letter topic, per reason")
                .tag("reason", reason).register(registry);
    }

    public void oldestWaiting(long seconds) {
        oldestWaitingSeconds.set(seconds);
    }

    private void rejection(String field, String rule) {
        Counter.builder("sensorpipe.rejections").description("Rejections per field and rule (a row can break several)")
                .tag("field", field).tag("rule", rule).register(registry).increment();
    }
}
