package io.sensorpipe.intake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.Quantities;
import io.sensorpipe.records.ReadingCodec;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.sources.SourceCatalog;

/**
 * Publishes a file's readings to the topic csv-intake's {@code publish-readings} step names, a chunk per record keyed by the file's id (so a
 * file's chunks stay in order on one partition). A chunk is handed to the Kafka producer without
 * waiting for the broker, so that the next chunk is read and validated while the previous ones are
 * on their way; the file is sealed only after {@link AcksAwaiter} has seen every one of its records
 * acknowledged ({@code acks=all}).
 * The producer is built by the Camel Kafka component from its configuration
 * ({@code camel.component.kafka.*}: lz4, linger, batch size, idempotence), as the component's own would be.
 */
@ApplicationScoped
@Named("readingPublisher")
public class ReadingPublisher {

    /** Record header: how many readings the record carries. */
    public static final String ROWS_HEADER = "readings";
    /**
     * A chunk's readings go in one record up to this size (a longer chunk is split): well under the
     * producer's and the broker's 1 MiB limit on a record, and about the producer's batch size.
     */
    static final int MAX_RECORD_CHARS = 256 * 1024;

    /** Chunks handed to the publishing thread and not yet sent. */
    static final int IN_HAND = 8;

    private final CamelContext camel;
    private final Quantities quantities;
    private final ExecutorService sending;
    private final Semaphore inHand = new Semaphore(IN_HAND);
    private volatile Producer<String, String> producer;

    /**
     * Encoding and handing records to the producer (which compresses them) is a third of the intake's
     * work: a thread of its own does it, in the order the chunks come, while the route reads on.
     */
    @Inject
    public ReadingPublisher(CamelContext camel, SourceCatalog sources) {
        this.camel = camel;
        this.quantities = sources.order();
        // Shut down with the Camel context, which created it.
        this.sending = camel.getExecutorServiceManager().newSingleThreadExecutor(this, "kafka-publish");
    }

    /**
     * Hands a chunk's readings to the publishing thread, which encodes them ({@link #records}) and
     * gives them to the producer without waiting for the broker; the broker's answers are collected by
     * the file's {@link Acks}. Waits only while {@value #IN_HAND} chunks are already waiting there.
     */
    public void publish(@Body List<SensorReading> readings, @ExchangeProperty(ExchangeProperties.FILE_INTAKE) FileIntake intake,
            @ExchangeProperty(ExchangeProperties.READINGS_TOPIC) String topic) throws Exception {
        Acks acks = intake.acks();
        acks.throwIfFailed();
        inHand.acquire();
        try {
            sending.execute(() -> {
                try {
                    send(records(readings, topic), acks);
                } catch (Exception | Error e) {
                    acks.fail(e instanceof Exception x ? x : new IllegalStateException(e));
                } finally {
                    inHand.release();
                }
            });
        } catch (RuntimeException e) {
            inHand.release();
            throw e;
        }
    }

    /** Counts a chunk's readings as published for the file, once {@link #publish} has taken them. */
    public void published(@ExchangeProperty(ExchangeProperties.FILE_INTAKE) FileIntake intake,
            @ExchangeProperty(ExchangeProperties.VALID_ROW_COUNT) int rows) {
        intake.published(rows);
    }

    /** A chunk's readings as Kafka records ({@link ReadingCodec}: usually one), keyed by the file's id. */
    public List<ProducerRecord<String, String>> records(List<SensorReading> readings, String topic) {
        List<ReadingCodec.Encoded> values = ReadingCodec.encodeChunks(readings, quantities, MAX_RECORD_CHARS);
        List<ProducerRecord<String, String>> records = new ArrayList<>(values.size());
        for (ReadingCodec.Encoded value : values) {
            records.add(new ProducerRecord<>(topic, null, Long.toString(readings.get(0).fileId()), value.value(),
                    rowsHeader(value.readings())));
        }
        return records;
    }

    /** How many readings a record carries, in its {@value #ROWS_HEADER} header. */
    public static int rowsOf(ProducerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(ROWS_HEADER);
        return Integer.parseInt(new String(header.value(), StandardCharsets.US_ASCII));
    }

    private static Headers rowsHeader(int rows) {
        return new RecordHeaders().add(ROWS_HEADER, Integer.toString(rows).getBytes(StandardCharsets.US_ASCII));
    }

    private void send(List<ProducerRecord<String, String>> records, Acks acks) {
        Producer<String, String> kafka = producer();
        for (ProducerRecord<String, String> record : records) {
            kafka.send(record, acks.forRows(rowsOf(record)));
        }
    }

    private Producer<String, String> producer() {
        Producer<String, String> kafka = producer;
        if (kafka == null) {
            synchronized (this) {
                kafka = producer;
                if (kafka == null) {
                    KafkaComponent component = camel.getComponent("kafka", KafkaComponent.class);
                    KafkaConfiguration configuration = component.getConfiguration().copy();
                    Properties properties = configuration.createProducerProperties();
                    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            component.getKafkaClientFactory().getBrokers(configuration));
                    @SuppressWarnings("unchecked")
                    Producer<String, String> created = component.getKafkaClientFactory().getProducer(properties);
                    producer = kafka = created;
                }
            }
        }
        return kafka;
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close();
        }
    }

    /** The broker's answers for one read of a file, counted in readings. */
    public static final class Acks {
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile long expected = -1;
        private volatile Runnable whenDone;

        /** A record could not be handed to the producer: the read fails, as if the broker had refused it. */
        void fail(Exception e) {
            failure.compareAndSet(null, e);
            maybeDone();
        }

        /** The callback of a record carrying that many readings. */
        Callback forRows(int rows) {
            return (RecordMetadata metadata, Exception exception) -> {
                if (exception == null) {
                    acknowledged.addAndGet(rows);
                } else {
                    failure.compareAndSet(null, exception);
                }
                maybeDone();
            };
        }

        /** Runs {@code whenDone} once, when {@code expected} readings are acknowledged or a record has failed. */
        void whenAcknowledged(long expectedRecords, Runnable then) {
            expected = expectedRecords;
            whenDone = then;
            maybeDone();
        }

        private void maybeDone() {
            Runnable then = whenDone;
            if (then != null && (failure.get() != null || acknowledged.get() >= expected)
                    && done.compareAndSet(false, true)) {
                then.run();
            }
        }

        long acknowledged() {
            return acknowledged.get();
        }

        void throwIfFailed() throws Exception {
            Exception e = failure.get();
            if (e != null) {
                throw e;
            }
        }
    }
}
