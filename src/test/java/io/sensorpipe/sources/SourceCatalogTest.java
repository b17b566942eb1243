package io.sensorpipe.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.TestConfig;
import io.sensorpipe.testdata.Values;

/** The start-up check of the sources: a source that makes no sense stops the start, every problem named. */
class SourceCatalogTest {

    private static SourceCatalog load(String files) {
        return TestConfig.sources(Map.of("pipeline.sources.files", files));
    }

    @Test
    void theShippedSourcesAreTheTwoSofiaShapes() {
        SourceCatalog sources = TestConfig.sources();
        assertEquals(List.of("sofia-bme280", "sofia-particulate"), sources.sources().stream().map(Source::name).toList());
        Source particulate = sources.source("sofia-particulate");
        assertEquals("P1", particulate.fieldName(Values.slot("pm10")), "reports name the file's column");
        assertTrue(particulate.conversion(Values.slot("pm25")).isIdentity());
        assertEquals(0.01, sources.source("sofia-bme280").conversion(Values.slot("pressure")).factor(), "Pa to hPa");
        assertNull(particulate.fileName(), "recognised by its columns alone");
    }

    @Test
    void aSourceFileAddsItsSourcesAfterTheShippedOnes() {
        SourceCatalog sources = load("classpath:sources.yaml,classpath:sources-check/good.yaml");
        Source minimal = sources.source("minimal");
        assertEquals("7", minimal.version());
        assertEquals(List.of("station", "when", "pm25"), minimal.columns());
        assertEquals(Dialect.DEFAULT, minimal.dialect());
        assertEquals("ISO-8601 date-time", minimal.timestamp().expected(), "pipeline.rules.timestamp-formats");
        assertTrue(minimal.isRequired(Field.SENSOR_ID.ordinal()), "pipeline.rules.required");
        assertEquals("0..1000 ug/m3", minimal.range(Values.slot("pm25")).expected(), "pipeline.rules.range.pm25");
    }

    @Test
    void everyProblemOfEverySourceIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load("classpath:sources.yaml,classpath:sources-check/broken.yaml"));
        String message = e.getMessage();
        List<String> expected = List.of(
                "sources.furlongs.quantities.temperature.unit: no conversion from 'furlongs' to C",
                "sources.furlongs.fields.timestamp.formats: 'yyyy-MM-dd bb' is not a date-time pattern",
                "sources.furlongs.quantities.humidity.range.unit is missing: a range says its unit",
                "sources.furlongs.quantities.co: unknown quantity 'co'",
                "sources twin-a and twin-b claim the same header [id, t, temp] and neither has a file-name pattern",
                "sources.careless.version is missing",
                "sources.careless.dialect.delimitter: unknown key",
                "sources.careless.dialect.charset: UTF-16 does not write ASCII as ASCII",
                "sources.careless.dialect: the decimal separator and the delimiter are both ','",
                "sources.careless.file-name: 'station-(?<station\\d+.csv' is not a regular expression",
                "sources.careless.fields.timestamp.zone: unknown time zone 'Mars/Olympus'",
                "quantities.pm10: quantity 'pm10' is already declared in classpath:sources.yaml",
                "quantities.Ozone: a quantity's name is a lower-case letter",
                "quantities.so2.unit: a unit has a name (\"1\" for a dimensionless quantity)",
                "quantities.t_k.unit: 'K' converts with an offset",
                "conversions[0]: Pa to hPa is built in",
                "conversions[1].to: no quantity is stored in 'V'",
                "conversions[2]: from and to are both 'ppm'",
                "conversions[3].factor: a factor of 0 would store every reading as the offset",
                "conversions[4]: from, to and factor (and an optional offset)",
                "quantities.no2: min 10.0 is above max 1.0",
                "quantities.sensor_id: 'sensor_id' is a field of every reading; a quantity needs a name of its own",
                "quantities.precise.decimals: from 0 to 6, not 9",
                "quantities.keyed.reading-column: 'file_id' cannot be a quantity's column of reading",
                "quantities.shouting.reading-column: 'ppm; DROP TABLE reading' cannot be a quantity's column of reading",
                "quantities.warmth: stored as 'temperature_c', as quantity 'temperature' is; each quantity needs a"
                        + " stored name of its own");
        for (String problem : expected) {
            assertTrue(message.contains(problem), "names '" + problem + "' in: " + message);
        }
        assertTrue(message.startsWith("Invalid sources ("), message);
        assertTrue(message.contains("classpath:sources-check/broken.yaml: "), "says which file: " + message);
    }

    @Test
    void aKeyNoRecordHasOrAValueOfTheWrongShapeIsRefusedByTheBindingWithItsPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load("classpath:sources.yaml,classpath:sources-check/shapes.yaml"));
        String file = "classpath:sources-check/shapes.yaml: ";
        List<String> expected = List.of(
                "colour: unknown key (known: [conversions, quantities, sources])",
                "quantities.ozone.min: a number, not 'low'",
                "quantities.ozone.colour: unknown key (known: [decimals, max, min, reading-column, unit])",
                "conversions[0].factor: a single value is expected",
                "sources.shapes.version: a single value is expected",
                "sources.shapes.dialect.skip-lines: a whole number, not 'many'",
                "sources.shapes.dialect.skip-empty-rows: true or false, not 'maybe'",
                "sources.shapes.dialect.quote: a single value is expected",
                "sources.shapes.missing: a single value is expected",
                "sources.shapes.fields.sensor_id.colour: unknown key (known: [column, constant, file-name-group])",
                "sources.shapes.fields.timestamp.zones: unknown key (known: [column, date-column, date-format, formats,"
                        + " standard-time, time-column, time-format, zone])",
                "sources.shapes.quantities.temperature.range.step: unknown key (known: [max, min, unit])",
                "sources.scalar: a mapping (key: value) is expected, not 'just text'");
        List<String> problems = List.of(e.getMessage().substring(e.getMessage().indexOf(": ") + 2).split("; "));
        for (String problem : expected) {
            assertTrue(problems.contains(file + problem), "names '" + problem + "' in: " + problems);
        }
    }

    @Test
    void aNewQuantityIsDeclaredOnceAndStoredByAnySource() {
        SourceCatalog sources = load("classpath:sources.yaml,classpath:onboarding/sources.yaml");
        assertEquals(List.of("pressure", "temperature", "humidity", "pm10", "pm25", "co", "no2", "nox", "benzene", "ah",
                "co_response", "board_temp"), sources.quantities().stream().map(Quantity::name).toList(),
                "the shipped file's five first, then the onboarded file's, each declared alike");
        Source export = sources.source("it-station-export");
        int nox = Field.count() + 7;
        assertEquals(3, sources.order().decimals(nox - Field.count()), "to the thousandth unless declared otherwise");
        assertEquals(4, sources.order().decimals(Values.at("pressure")), "as sources.yaml declares");
        assertEquals("nox", export.key(nox));
        assertEquals("ppb", export.storedUnit(nox));
        assertEquals("0..5000 ppb", export.range(nox).expected());
        assertEquals("NOx(GT)", export.fieldName(nox));
        assertEquals(Field.count() + 12, export.slots());
        assertNull(sources.source("sofia-bme280").from(nox), "a source stores only the quantities it maps");
    }

    @Test
    void aSourceDeclaredTwiceOrAFileThatIsNotThereIsRefused() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> load("classpath:sources.yaml,classpath:sources-check/clash.yaml"));
        assertTrue(twice.getMessage().contains("source 'sofia-bme280' is already declared in classpath:sources.yaml"),
                twice.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> load("classpath:sources.yaml,/nonexistent/sources.yaml"));
        assertTrue(missing.getMessage().contains("/nonexistent/sources.yaml: cannot be read"), missing.getMessage());
    }

    @Test
    void aNumericSentinelMatchesEverySpellingOfItsNumberAndATextSentinelItsText() {
        SourceCatalog sources = load("classpath:sources.yaml,classpath:onboarding/sources.yaml");
        Source monitor = sources.source("air-monitor");
        int humidity = Values.slot("humidity");
        for (String spelling : List.of("-200", "-200,0", "-200,00", "-200.0", "-0200", "-200,")) {
            assertTrue(monitor.isMissing(humidity, spelling), spelling + " is -200");
        }
        for (String other : List.of("-2000", "-20", "200", "-200,01", "-200x", "", "NA")) {
            assertEquals(false, monitor.isMissing(humidity, other), other + " is not -200");
        }
        Source daily = sources.source("station-daily");
        int pm10 = Values.slot("pm10");
        assertTrue(daily.isMissing(pm10, "NA"));
        assertEquals(false, daily.isMissing(pm10, "na"), "a text sentinel is its text");
        Source pointed = sources.source("it-station-export");
        assertTrue(pointed.isMissing(Values.slot("temperature"), "-200,0"), "quoted \"-200\" is a number too");
    }

    @Test
    void aQuantityIsStoredInAnyUnitItsDeclarationNamesConvertedAsDeclared() {
        SourceCatalog sources = load("classpath:sources.yaml,classpath:onboarding/sources.yaml");
        Source monitor = sources.source("air-monitor");
        int ah = Field.count() + 9;
        int response = Field.count() + 10;
        int board = Field.count() + 11;
        assertEquals("g/m3", monitor.storedUnit(ah));
        assertTrue(monitor.conversion(ah).isIdentity(), "stored in the unit it arrives in: no conversion");
        assertEquals("1", monitor.storedUnit(response));
        assertEquals("0..5000", monitor.range(response).expected(), "a dimensionless range has no unit");
        assertEquals(new BigDecimal("11.000"), monitor.conversion(board).apply(new BigDecimal("28415"), 3));
        assertEquals(new BigDecimal("-273.150"), monitor.conversion(board).apply(BigDecimal.ZERO, 3));
        assertEquals(16.85, monitor.conversion(board).apply(29000.0), 1e-12);
    }

    @Test
    void standardTimeAllYearHasNoGapAndNoOverlap() {
        SourceCatalog sources = load("classpath:sources.yaml,classpath:onboarding/sources.yaml");
        TimestampSpec standard = sources.source("air-monitor").timestamp();
        // Rome's clocks went forward at 02:00 on 28 March 2004 and back at 03:00 on 31 October 2004.
        assertEquals(java.time.Instant.parse("2004-03-28T01:00:00Z"), standard.parse("28/03/2004 02.00.00"));
        assertEquals(java.time.Instant.parse("2004-03-28T01:30:00Z"), standard.parse("28/03/2004 02.30.00"));
        assertEquals(java.time.Instant.parse("2004-07-01T11:00:00Z"), standard.parse("01/07/2004 12.00.00"));
        assertEquals(java.time.Instant.parse("2004-10-31T01:30:00Z"), standard.parse("31/10/2004 02.30.00"));
        TimestampSpec daylight = TimestampSpec.ofDateAndTime("dd/MM/yyyy", "HH.mm.ss", java.time.ZoneId.of("Europe/Rome"));
        assertThrows(java.time.format.DateTimeParseException.class, () -> daylight.parse("28/03/2004 02.30.00"),
                "in the gap with daylight saving");
        assertEquals(java.time.Instant.parse("2004-07-01T10:00:00Z"), daylight.parse("01/07/2004 12.00.00"));
        assertEquals(java.time.Instant.parse("2004-10-31T00:30:00Z"), daylight.parse("31/10/2004 02.30.00"),
                "a repeated time at the earlier offset");
        TimestampSpec fixed = TimestampSpec.ofDateAndTime("dd/MM/yyyy", "HH.mm.ss", java.time.ZoneId.of("+01:00"));
        assertEquals(java.time.Instant.parse("2004-03-28T01:30:00Z"), fixed.parse("28/03/2004 02.30.00"), "a fixed offset");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> load("classpath:sources.yaml,classpath:sources-check/standard-time-offset.yaml"));
        assertTrue(e.getMessage().contains("standard-time goes with a region's zone"), e.getMessage());
    }

    @Test
    void unitsConvertExactly() {
        assertEquals(new BigDecimal("37.000"), Units.conversion("F", "C").apply(new BigDecimal("98.6"), 3));
        assertEquals(new BigDecimal("-17.778"), Units.conversion("°F", "C").apply(BigDecimal.ZERO, 3));
        assertEquals(60.0, Units.conversion("F", "C").apply(140.0));
        assertEquals(1013.25, Units.conversion("kPa", "hPa").apply(101.325));
        assertEquals(new BigDecimal("20.123"), Units.conversion("mg/m3", "ug/m3").apply(new BigDecimal("0.0201234"), 3));
        assertEquals(new BigDecimal("-273.150"), Units.conversion("K", "C").apply(BigDecimal.ZERO, 3));
        assertNull(Units.conversion("ppm", "C"), "no conversion across quantities");
        assertEquals(new BigDecimal("1500.000"), Units.conversion("ppm", "ppb").apply(new BigDecimal("1.5"), 3));
        assertEquals(new BigDecimal("0.250"), Units.conversion("ug/m3", "mg/m3").apply(new BigDecimal("250"), 3));
        assertNull(Units.conversion("C", "F"), "stored units have no offset");
    }
}
