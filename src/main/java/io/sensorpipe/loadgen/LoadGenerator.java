package io.sensorpipe.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.sensorpipe.Json;

/**
 * {@code bin/loadgen}: writes Sofia-shaped files ({@link SofiaRows}) at a chosen rate, as files moved
 * into a folder or as uploads to {@code POST /ingest}: how many sensors and rows per file, the share of
 * invalid rows and of duplicates (a file sent again: a retry, for uploads), for a number of files or a
 * duration, from a number of concurrent clients. It reports what was sent and how it was answered
 * (uploads/s, latency percentiles), and, for the tests and the benchmark, each file with what the
 * pipeline must make of it.
 */
public final class LoadGenerator {

    /**
     * @param target       a folder, or an {@code http://…/ingest} address
     * @param token        the bearer token for uploads
     * @param files        files to send (duplicates included); 0 to send for {@code duration}
     * @param rate         files started per second; 0 for as fast as the clients go
     * @param duplicates   share of files that repeat an earlier one (same name and bytes)
     */
    public record Options(String target, String token, int files, Duration duration, double rate, int rows,
            int sensors, double invalid, double duplicates, int concurrency, long seed, String prefix) {
    }

    /**
     * One file sent.
     *
     * @param status     the HTTP answer (0 for a file moved into a folder, -1 for a failure to send)
     * @param duplicate  whether it repeats an earlier file
     * @param answer     the answer's body
     * @param attempts   requests made: a 429 or a 503 is sent again after its Retry-After, as a client should
     */
    public record Sent(String name, SofiaRows.Expected expected, boolean duplicate, int status, String answer,
            long micros, int attempts) {
    }

    /** Everything sent, in order of sending, and how long it took. */
    public record Report(List<Sent> sent, double seconds) {

        public double filesPerSecond() {
            return sent.size() / seconds;
        }

        /** The latency percentile {@code p} (0..100) in milliseconds. */
        public double latencyMillis(double p) {
            List<Long> micros = new ArrayList<>(sent.stream().map(Sent::micros).toList());
            Collections.sort(micros);
            if (micros.isEmpty()) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100 * micros.size()) - 1;
            return micros.get(Math.max(0, Math.min(micros.size() - 1, index))) / 1000.0;
        }

        public Map<Integer, Long> byStatus() {
            Map<Integer, Long> counts = new TreeMap<>();
            sent.forEach(s -> counts.merge(s.status(), 1L, Long::sum));
            return counts;
        }

        public String summary() {
            return String.format(Locale.ROOT, "%d files (%d duplicates) in %.1f s: %.1f files/s; answers %s"
                    + " (%d sent again after a 429 or 503); latency p50 %.1f ms, p99 %.1f ms, max %.1f ms", sent.size(),
                    sent.stream().filter(Sent::duplicate).count(), seconds, filesPerSecond(), byStatus(),
                    sent.stream().mapToInt(s -> s.attempts() - 1).sum(), latencyMillis(50), latencyMillis(99),
                    latencyMillis(100));
        }
    }

    /** Requests made for one file at most, while the answer is 429 or 503. */
    static final int MAX_ATTEMPTS = 30;

    private final Options options;
    private final HttpClient http;

    public LoadGenerator(Options options) {
        this.options = options;
        this.http = options.target().startsWith("http") ? HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10)).build() : null;
    }

    /** A number an answer carries ({@code id}, {@code duplicate_of}), or null. */
    public static Long number(String answer, String field) {
        if (answer == null) {
            return null;
        }
        try {
            JsonNode value = Json.MAPPER.readTree(answer).path(field);
            return value.isNumber() ? value.asLong() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends the files and waits for every answer. */
    public Report run() throws Exception {
        Random random = new Random(options.seed());
        int invalidEvery = SofiaRows.invalidEvery(options.invalid());
        long deadline = options.files() > 0 ? Long.MAX_VALUE
                : System.nanoTime() + options.duration().toNanos();
        int total = options.files() > 0 ? options.files() : Integer.MAX_VALUE;
        ExecutorService clients = Executors.newFixedThreadPool(Math.max(1, options.concurrency()));
        List<Future<Sent>> pending = new ArrayList<>();
        List<Integer> originals = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        try {
            for (int i = 0; i < total && System.nanoTime() < deadline; i++) {
                if (options.rate() > 0) {
                    long due = started + (long) (i / options.rate() * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                boolean duplicate = !originals.isEmpty() && random.nextDouble() < options.duplicates();
                int file = duplicate ? originals.get(random.nextInt(originals.size())) : next.getAndIncrement();
                if (!duplicate) {
                    originals.add(file);
                }
                pending.add(clients.submit(() -> send(file, invalidEvery, duplicate)));
            }
            List<Sent> sent = new ArrayList<>(pending.size());
            for (Future<Sent> f : pending) {
                sent.add(f.get());
            }
            return new Report(sent, (System.nanoTime() - started) / 1e9);
        } finally {
            clients.shutdownNow();
        }
    }

    private Sent send(int file, int invalidEvery, boolean duplicate) throws IOException {
        String name = options.prefix() + "-" + file + ".csv";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(options.rows() * 80 + 100);
        SofiaRows.Expected expected;
        try (Writer out = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            expected = new SofiaRows(options.sensors(), options.rows(), invalidEvery, 0, options.seed() * 1_000_003L + file)
                    .writeTo(out);
        }
        long started = System.nanoTime();
        if (http == null) {
            Path folder = Path.of(options.target());
            String landed = duplicate ? options.prefix() + "-" + file + "-again-" + System.nanoTime() + ".csv" : name;
            Path staged = folder.resolve(landed + ".part");
            // Created new and moved without replacing: a name already taken (or a link planted there) fails
            // this file instead of being written through or replaced.
            Files.write(staged, bytes.toByteArray(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.move(staged, folder.resolve(landed), LinkOption.NOFOLLOW_LINKS);
            return new Sent(landed, expected, duplicate, 0, null, (System.nanoTime() - started) / 1000, 1);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(options.target() + "?name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8))).timeout(Duration.ofMinutes(1))
                .header("Authorization", "Bearer " + options.token()).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())).build();
        int attempts = 0;
        try {
            while (true) {
                attempts++;
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                boolean later = response.statusCode() == 429 || response.statusCode() == 503;
                if (!later || attempts >= MAX_ATTEMPTS) {
                    return new Sent(name, expected, duplicate, response.statusCode(), response.body(),
                            (System.nanoTime() - started) / 1000, attempts);
                }
                Thread.sleep(1000 * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
            }
        } catch (IOException e) {
            return new Sent(name, expected, duplicate, -1, e.toString(), (System.nanoTime() - started) / 1000, attempts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Sent(name, expected, duplicate, -1, "interrupted", (System.nanoTime() - started) / 1000, attempts);
        }
    }

    static final String USAGE = String.join("\n",
            "usage: loadgen (--folder DIR | --url http://HOST:PORT/ingest [--token T]) [options]",
            "  --files N          files to send, duplicates included (default 100); 0 with --duration",
            "  --duration 60s    send for this long instead of a number of files",
            "  --rate R           files started per second (default 0: as fast as the clients go)",
            "  --rows N           rows per file (default 100)",
            "  --sensors N        sensors per file (default 5)",
            "  --invalid S        share of invalid rows, 0..1 (default 0.01)",
            "  --duplicates S     share of files sent again, 0..1 (default 0.01)",
            "  --concurrency N    concurrent clients (default 8)",
            "  --seed N           the same seed sends the same files (default 1)",
            "  --prefix P         file names are P-<n>.csv (default loadgen-<seed>)",
            "The token may also come from LOADGEN_TOKEN. A 429 or 503 is sent again after its Retry-After.");

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.getenv("LOADGEN_TOKEN"), System.out));
    }

    static int run(String[] args, String envToken, PrintStream out) throws Exception {
        Map<String, String> given = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                out.println(USAGE);
                return 64;
            }
            given.put(args[i].substring(2), args[++i]);
        }
        String target = given.containsKey("url") ? given.remove("url") : given.remove("folder");
        if (target == null) {
            out.println(USAGE);
            return 64;
        }
        Options options;
        try {
            long seed = Long.parseLong(given.getOrDefault("seed", "1"));
            Duration duration = given.containsKey("duration") ? Duration.parse("PT" + given.get("duration")
                    .toUpperCase(Locale.ROOT)) : Duration.ZERO;
            options = new Options(target, given.getOrDefault("token", envToken),
                    Integer.parseInt(given.getOrDefault("files", duration.isZero() ? "100" : "0")), duration,
                    Double.parseDouble(given.getOrDefault("rate", "0")), Integer.parseInt(given.getOrDefault("rows", "100")),
                    Integer.parseInt(given.getOrDefault("sensors", "5")),
                    Double.parseDouble(given.getOrDefault("invalid", "0.01")),
                    Double.parseDouble(given.getOrDefault("duplicates", "0.01")),
                    Integer.parseInt(given.getOrDefault("concurrency", "8")), seed,
                    given.getOrDefault("prefix", "loadgen-" + seed));
        } catch (RuntimeException e) {
            out.println("bad option: " + e.getMessage());
            out.println(USAGE);
            return 64;
        }
        if (options.target().startsWith("http") && options.token() == null) {
            out.println("an upload needs a token: --token T or LOADGEN_TOKEN");
            return 64;
        }
        if (!options.target().startsWith("http")) {
            Files.createDirectories(Path.of(options.target()));
        }
        Report report = new LoadGenerator(options).run();
        out.println(report.summary());
        long failed = report.sent().stream().filter(s -> s.status() < 0 || s.status() >= 300).count();
        return failed == 0 ? 0 : 1;
    }
}
