package io.sensorpipe.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.records.CsvLine;
import io.sensorpipe.sources.Field;
import io.sensorpipe.sources.RuleSet;
import io.sensorpipe.sources.Source;
import io.sensorpipe.sources.SourceCatalog;
import io.sensorpipe.sources.TimestampSpec;
import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.TestConfig;
import io.sensorpipe.testdata.Values;

class RuleSetTest {

    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static List<Breach> breaches(SourceCatalog sources, String line) throws Exception {
        SensorRow row = new RowMapper().toRow(new CsvLine(2, line, List.of(line.split(",", -1))),
                new HeaderInspector(sources, 1000).layoutOf("f.csv", (Csv.BME280_HEADER + "\n").getBytes(StandardCharsets.UTF_8)));
        Set<ConstraintViolation<SensorRow>> violations = VALIDATOR.validate(row);
        assertEquals(row.breaches().size(), violations.size(), "one violation per breach");
        return row.breaches();
    }

    @Test
    void defaultRulesComeFromTheApplicationSettings() {
        RuleSet rules = TestConfig.rules();
        assertEquals("-90..90 degrees", rules.range(Field.LAT).expected());
        Source bme280 = TestConfig.source("sofia-bme280");
        assertEquals("-50..50 C", bme280.range(Values.slot("temperature")).expected(), "the range declared with it");
        assertEquals(0.01, bme280.conversion(Values.slot("pressure")).factor(), "Pa in, hPa stored");
        assertTrue(bme280.isRequired(Field.SENSOR_ID.ordinal()));
        assertTrue(!rules.version().isBlank());
    }

    @Test
    void changingARangeInTheSettingsChangesTheVerdict() throws Exception {
        String hot = "2040,1025,42.686,23.351,2017-07-25T15:30:04,94212.35,55.5,50";
        assertEquals(Rule.RANGE, breaches(TestConfig.sources(), hot).get(0).rule());
        assertEquals(List.of(), breaches(TestConfig.sources(Map.of("pipeline.rules.range.temperature.min", "-40",
                "pipeline.rules.range.temperature.max", "140", "pipeline.rules.range.temperature.unit", "F")), hot),
                "the configured range replaces the declared one, converted to the stored unit: -40..60 C");
        assertEquals("-40..60 C", TestConfig.sources(Map.of("pipeline.rules.range.temperature.min", "-40",
                "pipeline.rules.range.temperature.max", "140", "pipeline.rules.range.temperature.unit", "F"))
                .source("sofia-bme280").range(Values.slot("temperature")).expected());
    }

    @Test
    void everyBrokenRuleOfARowIsReportedWithWhatWasExpected() throws Exception {
        List<Breach> breaches = breaches(TestConfig.sources(), "x1,,42.686,200,2017-02-30T10:00:00,117638.84,NaN,-0.5");
        assertEquals(List.of("sensor_id/integer", "lon/range", "timestamp/timestamp", "pressure/range",
                "temperature/numeric", "humidity/range"),
                breaches.stream().map(b -> b.field() + "/" + b.rule().id()).toList());
        Breach pressure = breaches.get(3);
        assertEquals("300..1100 hPa", pressure.expected());
        assertEquals("117638.84", pressure.actual());
    }

    @Test
    void extraTimestampFormatsAreAcceptedAndImpossibleDatesRefused() {
        TimestampSpec timestamps = TestConfig.sources(Map.of("pipeline.rules.timestamp-formats", "ISO,yyyy-MM-dd HH:mm:ss"))
                .source("sofia-bme280").timestamp();
        assertEquals(Instant.parse("2017-07-01T10:00:00Z"), timestamps.parse("2017-07-01 10:00:00"));
        assertEquals(Instant.parse("2017-07-01T08:00:00Z"), timestamps.parse("2017-07-01T10:00:00+02:00"));
        assertThrows(java.time.format.DateTimeParseException.class, () -> timestamps.parse("2017-02-30 10:00:00"));
    }

    @Test
    void badRulesAreRefusedWithEveryProblemNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestConfig.rules(Map.of(
                "pipeline.rules.range.temperature.min", "60", "pipeline.rules.range.temperature.max", "50",
                "pipeline.rules.range.temperature.unit", "C",
                "pipeline.rules.range.sensor_id.min", "0", "pipeline.rules.range.sensor_id.max", "1",
                "pipeline.rules.range.sensor_id.unit", "1",
                "pipeline.rules.timestamp-formats", "ISO,yyyy-MM-dd bb")));
        assertTrue(e.getMessage().contains("pipeline.rules.range.temperature: min 60.0 must be a number not above max 50.0"),
                e.getMessage());
        assertTrue(e.getMessage().contains("'sensor_id' is not a numeric field"), e.getMessage());
        assertTrue(e.getMessage().contains("'yyyy-MM-dd bb' is not a date-time pattern"), e.getMessage());

        // What needs the quantities is checked with them, by the catalogue.
        IllegalArgumentException q = assertThrows(IllegalArgumentException.class, () -> TestConfig.sources(Map.of(
                "pipeline.rules.range.wind.min", "0", "pipeline.rules.range.wind.max", "1",
                "pipeline.rules.range.wind.unit", "m/s",
                "pipeline.rules.range.humidity.min", "0", "pipeline.rules.range.humidity.max", "1",
                "pipeline.rules.range.humidity.unit", "hPa",
                "pipeline.rules.required", "sensor_id,station")));
        assertTrue(q.getMessage().contains("pipeline.rules.range.wind: 'wind' is neither a coordinate [lat, lon] nor a"
                + " declared quantity [pressure, temperature, humidity, pm10, pm25]"), q.getMessage());
        assertTrue(q.getMessage().contains("pipeline.rules.range.humidity.unit: no conversion from 'hPa' to %"),
                q.getMessage());
        assertTrue(q.getMessage().contains("pipeline.rules.required: unknown field 'station'"), q.getMessage());
    }
}
