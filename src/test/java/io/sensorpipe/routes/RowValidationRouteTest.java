package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;

import io.sensorpipe.records.CsvLine;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.Reason;
import io.sensorpipe.records.SensorReading;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.Intakes;
import io.sensorpipe.testdata.TestConfig;
import io.sensorpipe.testdata.Values;
import io.sensorpipe.validation.ReadingStandardiser;
import io.sensorpipe.validation.Reasons;
import io.sensorpipe.validation.RowMapper;

class RowValidationRouteTest extends RouteTestSupport {

    private static final CsvLayout BME280 = TestConfig.layout("f.csv", Csv.BME280_HEADER);

    @Override
    protected List<String> routeFiles() {
        return List.of("error-handling.camel.yaml", "row-validation.camel.yaml");
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("rowMapper", new RowMapper());
        registry.bind("readingStandardiser", new ReadingStandardiser());
    }

    @Override
    protected RouteBuilder[] createRouteBuilders() throws Exception {
        List<RouteBuilder> builders = new java.util.ArrayList<>();
        for (var b : super.createRouteBuilders()) {
            builders.add((RouteBuilder) b);
        }
        // Stands in for row-quarantine, the dead-letter channel of row-validation.
        builders.add(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:row-quarantine").routeId("test-row-quarantine").to("mock:quarantine");
            }
        });
        return builders.toArray(RouteBuilder[]::new);
    }

    private Exchange validate(String line) {
        return template.send("direct:row-validation", exchange -> {
            exchange.setProperty(ExchangeProperties.FILE_INTAKE, Intakes.of(7, Path.of("x.csv"), "00"));
            exchange.setProperty(ExchangeProperties.CSV_LAYOUT, BME280);
            exchange.getMessage().setBody(new CsvLine(12, line, List.of(line.split(",", -1))));
        });
    }

    @Test
    void validRowIsStandardised() throws Exception {
        context.start();
        getMockEndpoint("mock:quarantine").expectedMessageCount(0);

        Exchange result = validate("2040,1025,42.68600000000001,23.351,2017-07-25T15:30:04,94212.35,-0.0,0.0");

        SensorReading reading = assertInstanceOf(SensorReading.class, result.getMessage().getBody());
        assertEquals(7, reading.fileId());
        assertEquals(12, reading.line());
        assertEquals(2040, reading.sensorId());
        assertEquals(1025L, reading.locationId());
        assertEquals(42.686, reading.lat(), "coordinates lose their float noise");
        assertEquals(942.1235, reading.value(Values.at("pressure")), "pressure is converted from Pa to hPa exactly");
        assertEquals(Instant.parse("2017-07-25T15:30:04Z"), reading.measuredAt(), "a zone-less timestamp is UTC");
        assertEquals(0.0, reading.value(Values.at("humidity")), "0 % humidity is plausible");
        assertNull(reading.value(Values.at("pm10")), "quantities the shape lacks stay absent");
        assertEquals("sofia-bme280", reading.source());
        MockEndpoint.assertIsSatisfied(context);
    }

    @Test
    void timestampWithAnOffsetIsConvertedToUtc() throws Exception {
        context.start();
        Exchange result = validate("2040,1025,42.686,23.351,2017-07-25T17:30:04+02:00,94212.35,20.5,50");
        assertEquals(Instant.parse("2017-07-25T15:30:04Z"),
                result.getMessage().getBody(SensorReading.class).measuredAt());
    }

    @Test
    void invalidRowGoesToQuarantineAsReadWithEveryReason() throws Exception {
        context.start();
        MockEndpoint quarantine = getMockEndpoint("mock:quarantine");
        quarantine.expectedMessageCount(1);

        validate("2040,1025,42.686,23.351,2017-02-30T10:00:00,117638.84,NaN,100.5");

        quarantine.assertIsSatisfied();
        Exchange rejected = quarantine.getReceivedExchanges().get(0);
        CsvLine original = assertInstanceOf(CsvLine.class, rejected.getMessage().getBody(),
                "the dead-letter channel gets the row as it was read");
        assertEquals(12, original.lineNumber());
        List<Reason> reasons = Reasons.ofFailure(rejected.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        assertEquals(List.of("timestamp:timestamp", "pressure:range", "temperature:numeric", "humidity:range"),
                reasons.stream().map(r -> r.field() + ":" + r.rule()).toList());
        assertEquals("117638.84", reasons.get(1).value());
    }

    @Test
    void rowWithMissingFieldsAndNoSensorIsRejected() throws Exception {
        context.start();
        MockEndpoint quarantine = getMockEndpoint("mock:quarantine");
        quarantine.expectedMessageCount(1);

        validate(",1025,42.686");

        quarantine.assertIsSatisfied();
        List<Reason> reasons = Reasons.ofFailure(quarantine.getReceivedExchanges().get(0)
                .getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        assertEquals(List.of("columns:columns", "sensor_id:required", "timestamp:required"),
                reasons.stream().map(r -> r.field() + ":" + r.rule()).toList());
        assertEquals("3 fields", reasons.get(0).actual());
        assertEquals("8 fields", reasons.get(0).expected());
    }
}
