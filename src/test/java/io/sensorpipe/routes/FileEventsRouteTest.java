package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.errorhandler.DeadLetterChannelDefinition;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import io.sensorpipe.Json;
import io.sensorpipe.ops.FileEvents;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileEvent;

/**
 * The {@code file-events} route with the broker mocked: one JSON record per event, keyed by the
 * file's hash; nothing for an exchange without an event; a failed publish retried, and a publish
 * that keeps failing given up on without failing the caller (events are handed over by wire tap).
 */
class FileEventsRouteTest extends RouteTestSupport {

    private static final String SHA = "ab".repeat(32);

    @Override
    protected List<String> routeFiles() {
        return List.of("error-handling.camel.yaml", "file-events.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("fileEvents", new FileEvents());
    }

    private void adviseBroker() throws Exception {
        AdviceWith.adviceWith(context, "file-events", route -> route.weaveById("publish-file-event").replace()
                .to("mock:kafka"));
        // The production redelivery policy with its delays shortened (1 s doubling up to 15 s).
        for (RouteConfigurationDefinition configuration : context.getCamelContextExtension()
                .getContextPlugin(Model.class).getRouteConfigurationDefinitions()) {
            if ("event-publishing".equals(configuration.getId())) {
                RedeliveryPolicyDefinition policy = ((DeadLetterChannelDefinition) configuration.getErrorHandler()
                        .getErrorHandlerType()).getRedeliveryPolicy();
                policy.setRedeliveryDelay("5");
                policy.setMaximumRedeliveryDelay("20");
            }
        }
        context.start();
    }

    @Test
    void eachEventIsOneRecordKeyedByTheFileHashAndAnExchangeWithoutOneSendsNothing() throws Exception {
        adviseBroker();
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        kafka.expectedMessageCount(2);

        template.send("direct:file-events", e -> e.setProperty(ExchangeProperties.FILE_EVENT,
                FileEvent.detected(7, "/data/a.csv", "a.csv", SHA)));
        template.send("direct:file-events", e -> e.getMessage().setBody("no event"));
        template.send("direct:file-events", e -> e.setProperty(ExchangeProperties.FILE_EVENT,
                FileEvent.duplicate(8, "/data/b.csv", "b.csv", SHA, 7)));

        kafka.assertIsSatisfied();
        List<String> statuses = new java.util.ArrayList<>();
        for (var exchange : kafka.getReceivedExchanges()) {
            JsonNode event = Json.MAPPER.readTree(exchange.getMessage().getBody(String.class));
            assertEquals(SHA, exchange.getMessage().getHeader(KafkaConstants.KEY), "keyed by the file's hash");
            statuses.add(event.get("file_name").asText() + " " + event.get("status").asText());
        }
        assertEquals(List.of("a.csv DETECTED", "b.csv DUPLICATE"), statuses);
    }

    @Test
    void aPublishThatFailsIsRetriedAndOneThatKeepsFailingDoesNotFailTheCaller() throws Exception {
        adviseBroker();
        MockEndpoint kafka = getMockEndpoint("mock:kafka");
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        kafka.whenAnyExchangeReceived(e -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("broker says no");
        });

        var result = template.send("direct:file-events", e -> e.setProperty(ExchangeProperties.FILE_EVENT,
                FileEvent.detected(9, "/data/c.csv", "c.csv", SHA)));

        assertEquals(6, attempts.get(), "the first attempt and 5 redeliveries");
        assertEquals(false, result.isFailed(), "given up on and logged, not thrown back at the file's route");
    }
}
