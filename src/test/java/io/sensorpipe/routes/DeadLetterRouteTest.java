package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.sensorpipe.load.DeadLetter;
import io.sensorpipe.load.DeadLetters;
import io.sensorpipe.records.DeadLetterReason;
import io.sensorpipe.records.PoisonRecordException;
import io.sensorpipe.support.PipelineMetrics;
import io.sensorpipe.testdata.TestConfig;

/**
 * {@code dead-letter} as its YAML declares it, with its error handling ({@code caller-handles}): the record
 * goes out with its original key, value and headers plus {@code sensorpipe.errors.*}, and is counted once
 * published; a publish that fails reaches the caller (the loader, which waits it out before committing)
 * and is not counted.
 */
class DeadLetterRouteTest extends RouteTestSupport {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Override
    protected List<String> routeFiles() {
        return List.of("error-handling.camel.yaml", "dead-letter.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("deadLetters", new DeadLetters(null, null, new PipelineMetrics(meters), TestConfig.pipeline(Map.of())));
    }

    private DeadLetter letter() {
        Exchange record = new DefaultExchange(context);
        record.getMessage().setBody("not a chunk".getBytes(StandardCharsets.UTF_8));
        record.getMessage().setHeader(KafkaConstants.KEY, "42".getBytes(StandardCharsets.UTF_8));
        record.getMessage().setHeader(KafkaConstants.TOPIC, "sensor-readings");
        record.getMessage().setHeader(KafkaConstants.PARTITION, 2);
        record.getMessage().setHeader(KafkaConstants.OFFSET, 118L);
        record.getMessage().setHeader("origin", "console-producer");
        return new DeadLetter(record, 42L, DeadLetterReason.MALFORMED,
                new PoisonRecordException(DeadLetterReason.MALFORMED, "readings chunk: cut short"),
                Instant.parse("2026-12-04T10:00:00Z"));
    }

    private double counted() {
        var counter = meters.find("sensorpipe.dead.letters").tag("reason", "malformed").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void theRecordGoesOutWithItsOriginalKeyValueAndHeadersAndWhereItCameFrom() throws Exception {
        AdviceWith.adviceWith(context, "dead-letter", route -> route.weaveById("publish-dead-letter").replace()
                .to("mock:dlq"));
        context.start();
        MockEndpoint dlq = getMockEndpoint("mock:dlq");
        dlq.expectedMessageCount(1);

        template.sendBody("direct:dead-letter", letter());

        dlq.assertIsSatisfied();
        var out = dlq.getReceivedExchanges().get(0).getMessage();
        assertArrayEquals("not a chunk".getBytes(StandardCharsets.UTF_8), out.getBody(byte[].class));
        assertArrayEquals("42".getBytes(StandardCharsets.UTF_8), out.getHeader(KafkaConstants.KEY, byte[].class));
        assertEquals("console-producer", out.getHeader("origin"));
        assertEquals(Map.of("sensorpipe.errors.topic", "sensor-readings", "sensorpipe.errors.partition", "2",
                "sensorpipe.errors.offset", "118", "sensorpipe.errors.reason", "malformed",
                "sensorpipe.errors.exception.class", "io.sensorpipe.records.PoisonRecordException",
                "sensorpipe.errors.exception.message", "readings chunk: cut short",
                "sensorpipe.errors.time", "2026-12-04T10:00:00Z", "sensorpipe.errors.file.id", "42"),
                Map.copyOf(new java.util.TreeMap<>(out.getHeaders()).subMap("sensorpipe.errors.", "sensorpipe.errors.~")));
        assertFalse(out.getHeaders().keySet().stream().anyMatch(h -> h.startsWith("kafka.") && !h.equals(KafkaConstants.KEY)),
                "the consumed record's transport headers are not copied: " + out.getHeaders().keySet());
        assertEquals(1.0, counted(), "counted once published");
    }

    @Test
    void aPublishThatFailsReachesTheCallerAndIsNotCounted() throws Exception {
        AdviceWith.adviceWith(context, "dead-letter", route -> route.weaveById("publish-dead-letter").replace()
                .throwException(new org.apache.kafka.common.errors.TimeoutException("broker away")));
        context.start();

        Exchange sent = template.send("direct:dead-letter", e -> e.getMessage().setBody(letter()));

        assertInstanceOf(org.apache.kafka.common.errors.TimeoutException.class, sent.getException(),
                "no error handler of its own: the loader's applies");
        assertEquals(0.0, counted());
    }
}
