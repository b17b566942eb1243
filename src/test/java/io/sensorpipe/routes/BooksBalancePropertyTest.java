package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import io.sensorpipe.Json;
import io.sensorpipe.records.FileSealed;
import io.sensorpipe.testdata.Csv;

/**
 * Property: whatever mix of valid and broken rows a file holds, {@code csv-intake} publishes exactly
 * the valid ones, quarantines exactly the broken ones, and each quarantined row names exactly the
 * rules its mutations broke. Runs the production route files with Kafka and the metrics replaced.
 */
class BooksBalancePropertyTest {

    /** A change to one field of a valid row that breaks one known rule. */
    record Mutation(String field, String rule, int column, String value) {
    }

    private static final List<Mutation> MUTATIONS = List.of(
            new Mutation("sensor_id", "required", 0, ""),
            new Mutation("sensor_id", "integer", 0, "x12"),
            new Mutation("location", "integer", 1, "Lozenets"),
            new Mutation("lat", "range", 2, "91.5"),
            new Mutation("lon", "numeric", 3, "\"23,351\""),
            new Mutation("timestamp", "timestamp", 4, "2017-02-30T10:00:00"),
            new Mutation("timestamp", "required", 4, " "),
            new Mutation("pressure", "range", 5, "117638.84"),
            new Mutation("pressure", "numeric", 5, "0x1p3"),
            new Mutation("temperature", "range", 6, "-145.12"),
            new Mutation("temperature", "numeric", 6, "NaN"),
            new Mutation("humidity", "range", 7, "100.01"),
            new Mutation("humidity", "numeric", 7, "1e999"));

    private static CamelContext context;
    private static Path work;
    private static final AtomicLong FILES = new AtomicLong();

    @BeforeContainer
    static void startRoutes() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "route-tests")), "books");
        context = new DefaultCamelContext();
        java.util.Properties properties = new java.util.Properties();
        properties.put("pipeline.data-dir", work.resolve("data").toString());
        properties.put("pipeline.poll-interval", "10");
        properties.put("pipeline.read-lock-interval", "10");
        properties.put("pipeline.topic.readings", "sensor-readings");
        // Override, so no other configuration on the test class path (e.g. the test profile's) wins.
        context.getPropertiesComponent().setOverrideProperties(properties);
        DataSource database = LedgerDatabase.fresh();
        IntakeRoutes.bindBeans(context, work, database, LedgerDatabase.inputFiles(database, work.resolve("data"), context),
                100, 7);
        for (String file : List.of("error-handling", "csv-intake", "row-validation", "row-quarantine", "file-quarantine")) {
            context.addRoutes(PluginHelper.getRoutesLoader(context).findRoutesBuilders(
                    ResourceHelper.resolveMandatoryResource(context, "classpath:routes/" + file + ".camel.yaml"))
                    .iterator().next());
        }
        IntakeRoutes.adviseIntake(context);
        context.start();
    }

    @AfterContainer
    static void stopRoutes() {
        context.stop();
    }

    @Provide
    Arbitrary<List<List<Mutation>>> rows() {
        Arbitrary<List<Mutation>> mutations = Arbitraries.of(MUTATIONS).list().ofMaxSize(3)
                .uniqueElements(Mutation::column);
        Arbitrary<List<Mutation>> valid = Arbitraries.just(List.of());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, valid), net.jqwik.api.Tuple.of(1, mutations))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 40)
    void everyRowIsPublishedOrQuarantinedWithTheRulesItBroke(@ForAll("rows") List<List<Mutation>> rows)
            throws Exception {
        MockEndpoint kafka = context.getEndpoint("mock:kafka", MockEndpoint.class);
        MockEndpoint metrics = context.getEndpoint("mock:metrics", MockEndpoint.class);
        kafka.reset();
        metrics.reset();
        metrics.expectedMessageCount(1);

        String name = "property-" + FILES.incrementAndGet() + ".csv";
        StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
        List<Set<String>> expectedReasons = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            // Rows of other files differ by their time: the ledger would take a repeated content for a duplicate.
            String[] fields = Csv.bme280Row(2040 + i % 3, i + 40 * (int) (FILES.get() % 2_000)).split(",", -1);
            Set<String> broken = new TreeSet<>();
            for (Mutation m : rows.get(i)) {
                fields[m.column()] = m.value();
                broken.add(m.field() + "/" + m.rule());
            }
            csv.append(String.join(",", fields)).append('\n');
            if (!broken.isEmpty()) {
                expectedReasons.add(broken);
            }
        }
        Path staged = work.resolve(name + ".staged");
        Files.writeString(staged, csv);
        Files.move(staged, Files.createDirectories(work.resolve("data")).resolve(name));

        metrics.assertIsSatisfied(10_000);
        FileSealed sealed = metrics.getReceivedExchanges().get(0).getMessage().getBody(FileSealed.class);
        long published = 0;
        for (Exchange chunk : kafka.getReceivedExchanges()) {
            published += chunk.getMessage().getBody(List.class).size();
        }
        assertEquals(rows.size(), sealed.rowsTotal(), "rows in");
        assertEquals(rows.size(), published + sealed.rowsQuarantined(), "rows in = rows published + rows quarantined");
        assertEquals(expectedReasons.size(), sealed.rowsQuarantined());
        List<Set<String>> reported = new ArrayList<>();
        if (!expectedReasons.isEmpty()) {
            for (String line : Files.readAllLines(work.resolve("quarantine").resolve(name + ".errors.jsonl"))) {
                Set<String> reasons = new TreeSet<>();
                for (JsonNode reason : Json.MAPPER.readTree(line).get("reasons")) {
                    reasons.add(reason.get("field").asText() + "/" + reason.get("rule").asText());
                }
                reported.add(reasons);
            }
        }
        assertEquals(expectedReasons, reported, "each rejected row names exactly the rules its mutations broke");
    }
}
