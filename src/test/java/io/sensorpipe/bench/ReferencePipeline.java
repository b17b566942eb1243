package io.sensorpipe.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The yardstick: the same job written directly on kafka-clients and pgjdbc, with nothing of the
 * pipeline's machinery. Reads a bme280 CSV, checks each row against the same rules (required sensor id
 * and timestamp, whole-number ids, decimal readings in the same ranges, pressure Pa to hPa), writes
 * each rejected line with its reason to a file, produces the valid rows to Kafka (lz4, linger 20 ms,
 * 256 KiB batches, acks=all, idempotent) keyed by sensor, consumes them in another thread and COPYs
 * each poll into a table keyed by (file, line), committing offsets after the database. Prints
 * {@code rows=… valid=… millis=…}: from opening the file to the last row committed.
 * <p>
 * Arguments: csv file, bootstrap servers, JDBC URL, topic, file id and, optionally, a warm-up file that
 * is processed the same way first (its figures on a line of their own, {@code warm-up rows=…}). The
 * caller creates {@value #TABLE} and the topics.
 */
public final class ReferencePipeline {

    static final String TABLE = "reference.reading";

    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d{1,18}");

    private ReferencePipeline() {
    }

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]);
        String bootstrap = args[1];
        String jdbcUrl = args[2];
        String topic = args[3];
        long fileId = Long.parseLong(args[4]);
        if (args.length > 5) {
            // The same work on a warm-up file first (its own topic and file id): the first file after start.
            System.out.println("warm-up " + run(Path.of(args[5]), bootstrap, jdbcUrl, topic + "-warm-up", -fileId));
        }
        System.out.println(run(csv, bootstrap, jdbcUrl, topic, fileId));
    }

    private static String run(Path csv, String bootstrap, String jdbcUrl, String topic, long fileId) throws Exception {
        long start = System.nanoTime();
        AtomicLong produced = new AtomicLong();
        AtomicLong expected = new AtomicLong(Long.MAX_VALUE);
        Loader loader = new Loader(bootstrap, jdbcUrl, topic, expected);
        Thread loading = new Thread(loader, "reference-loader");
        loading.start();

        long rows = 0;
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                BufferedWriter rejected = Files.newBufferedWriter(Path.of(csv + ".reference-rejected.txt"));
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
            in.readLine();
            String line;
            StringBuilder copyLine = new StringBuilder(128);
            while ((line = in.readLine()) != null) {
                rows++;
                copyLine.setLength(0);
                String reason = check(line, fileId, rows + 1, copyLine);
                if (reason != null) {
                    rejected.write(rows + 1 + "\t" + reason + "\t" + line + "\n");
                    continue;
                }
                producer.send(new ProducerRecord<>(topic, line.substring(0, line.indexOf(',')), copyLine.toString()));
                produced.incrementAndGet();
            }
            producer.flush();
        }
        expected.set(produced.get());
        loading.join();
        if (loader.failure != null) {
            throw loader.failure;
        }
        return String.format("rows=%d valid=%d millis=%d", rows, loader.loaded,
                Duration.ofNanos(loader.finishedAt - start).toMillis());
    }

    private static Properties producerConfig(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    /** Appends the row's COPY text to {@code out} and returns null, or returns why it is rejected. */
    static String check(String line, long fileId, long lineNumber, StringBuilder out) {
        String[] f = line.split(",", -1);
        if (f.length != 8) {
            return "columns: " + f.length + " fields";
        }
        if (f[0].isBlank() || !WHOLE.matcher(f[0].trim()).matches()) {
            return "sensor_id: not a whole number";
        }
        if (!f[1].isBlank() && !WHOLE.matcher(f[1].trim()).matches()) {
            return "location: not a whole number";
        }
        Instant time;
        try {
            time = LocalDateTime.parse(f[4].trim()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return "timestamp: " + e.getMessage();
        }
        out.append(fileId).append('\t').append(lineNumber).append('\t').append(Long.parseLong(f[0].trim()))
                .append('\t').append(f[1].isBlank() ? "\\N" : f[1].trim());
        String why = reading(f[2], -90, 90, 1, out);
        why = why != null ? why : reading(f[3], -180, 180, 1, out);
        if (why == null) {
            out.append('\t').append(time);
        }
        why = why != null ? why : reading(f[5], 300, 1100, 0.01, out);
        why = why != null ? why : reading(f[6], -50, 50, 1, out);
        why = why != null ? why : reading(f[7], 0, 100, 1, out);
        out.append("\t\\N\t\\N");
        return why;
    }

    private static String reading(String text, double min, double max, double scale, StringBuilder out) {
        if (text.isBlank()) {
            out.append("\t\\N");
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(text.trim()) * scale;
        } catch (NumberFormatException e) {
            return "'" + text + "' is not a number";
        }
        if (!(value >= min && value <= max)) {
            return value + " outside [" + min + ", " + max + "]";
        }
        out.append('\t').append(Math.round(value * 1000) / 1000.0);
        return null;
    }

    private static final class Loader implements Runnable {
        private final String bootstrap;
        private final String jdbcUrl;
        private final String topic;
        private final AtomicLong expected;
        volatile long loaded;
        volatile long finishedAt;
        volatile Exception failure;

        Loader(String bootstrap, String jdbcUrl, String topic, AtomicLong expected) {
            this.bootstrap = bootstrap;
            this.jdbcUrl = jdbcUrl;
            this.topic = topic;
            this.expected = expected;
        }

        @Override
        public void run() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, topic + "-reference");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
                    Connection db = DriverManager.getConnection(jdbcUrl)) {
                db.setAutoCommit(false);
                CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
                consumer.subscribe(List.of(topic));
                ByteArrayOutputStream batch = new ByteArrayOutputStream(1 << 20);
                while (loaded < expected.get()) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                    if (records.isEmpty()) {
                        continue;
                    }
                    batch.reset();
                    for (ConsumerRecord<String, String> r : records) {
                        batch.writeBytes(r.value().getBytes(StandardCharsets.UTF_8));
                        batch.write('\n');
                    }
                    copy.copyIn("COPY " + TABLE + " FROM STDIN", new ByteArrayInputStream(batch.toByteArray()),
                            64 * 1024);
                    db.commit();
                    consumer.commitSync();
                    loaded += records.count();
                }
                finishedAt = System.nanoTime();
            } catch (Exception e) {
                failure = e;
            }
        }
    }
}
