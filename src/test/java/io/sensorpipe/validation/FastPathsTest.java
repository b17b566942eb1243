package io.sensorpipe.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.sensorpipe.sources.Range;
import io.sensorpipe.sources.TimestampSpec;
import io.sensorpipe.sources.Units;

/** The shortcuts taken for the common row agree with the general code they bypass. */
class FastPathsTest {

    @Test
    void plainTimestampsParseAsTheIsoFormatterParsesThem() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String text = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(3000),
                    random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(61), random.nextInt(61));
            java.time.LocalDateTime plain = TimestampSpec.plainIsoLocal(text);
            assertEquals(viaFormatter(text), plain == null ? null : plain.toInstant(java.time.ZoneOffset.UTC), text);
        }
        for (String other : List.of("2017-07-01 00:00:00", "2017-07-01T00:00:00Z", "2017-07-01t00:00:00",
                "2017-7-01T00:00:00", "+2017-07-01T00:00", "2017-07-01T00:00:0x")) {
            assertNull(TimestampSpec.plainIsoLocal(other), other + " is left to the formatter");
        }
    }

    private static java.time.Instant viaFormatter(String text) {
        try {
            return DateTimeFormatter.ISO_DATE_TIME.parse(text, LocalDateTime::from).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    void unroundedDecimalsAreTheDoublesTheRoundingWouldGive() {
        Random random = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            int decimals = random.nextInt(7);
            String text = BigDecimal.valueOf(random.nextLong() % 100_000_000L, random.nextInt(decimals + 1))
                    .toPlainString();
            assertTrue(ReadingStandardiser.fractionDigitsAtMost(text, decimals), text);
            double rounded = new BigDecimal(text).setScale(decimals, RoundingMode.HALF_UP).doubleValue() + 0.0;
            assertEquals(rounded, Double.parseDouble(text) + 0.0, text);
        }
        assertFalse(ReadingStandardiser.fractionDigitsAtMost("1.2345", 3));
        assertFalse(ReadingStandardiser.fractionDigitsAtMost("1e3", 3));
        assertTrue(ReadingStandardiser.fractionDigitsAtMost("-0", 3));
    }

    @Test
    void plainDecimalsReadAsDoubleParseDoubleAndBigDecimalReadThem() {
        Random random = new Random(13);
        for (int i = 0; i < 200_000; i++) {
            long digits = random.nextInt(4) == 0 ? random.nextLong() : random.nextLong() % 10_000_000_000L;
            String text = BigDecimal.valueOf(digits, random.nextInt(12)).toPlainString();
            if (random.nextInt(10) == 0) {
                text = (text.startsWith("-") ? "-0" + text.substring(1) : "+" + text);
            }
            double parsed = PlainDecimal.parse(text);
            if (!Double.isNaN(parsed)) {
                assertEquals(Double.parseDouble(text), parsed, text);
            } else {
                assertTrue(Math.abs(digits) >= (1L << 53) / 10, text + " is left to Double.parseDouble");
            }
        }
        assertEquals(0.5, PlainDecimal.parse(".5"));
        assertEquals(1.0, PlainDecimal.parse("1."));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(PlainDecimal.parse("-0.0")));
        for (String other : List.of("", "-", ".", "1e3", "1.2.3", "NaN", "0x10", "1_000", " 1", "12345678901234567")) {
            assertTrue(Double.isNaN(PlainDecimal.parse(other)), other + " is left to the general code");
        }
    }

    @Test
    void aScaleThatIsAPowerOfTenMovesTheDecimalPoint() {
        assertEquals(0, Units.Conversion.IDENTITY.decimalShift());
        assertEquals(0, Units.conversion("mbar", "hPa").decimalShift());
        assertEquals(2, Units.conversion("Pa", "hPa").decimalShift());
        assertEquals(-1, Units.conversion("kPa", "hPa").decimalShift(), "times ten");
        assertEquals(-1, Units.conversion("mg/m3", "ug/m3").decimalShift(), "times a thousand");
        assertEquals(-1, Units.conversion("F", "C").decimalShift(), "an offset");
        assertEquals(-1, Units.conversion("K", "C").decimalShift(), "an offset");
    }

    @Test
    void roundingHalfUpByTheFirstDroppedDigitIsWhatBigDecimalGives() {
        Random random = new Random(17);
        for (int i = 0; i < 200_000; i++) {
            int scale = random.nextInt(20);
            long digits = random.nextInt(3) == 0 ? random.nextLong() : random.nextLong() % 100_000_000_000L;
            String text = BigDecimal.valueOf(digits, scale).toPlainString();
            if (random.nextInt(5) == 0) {
                // the shape of the Sofia files' float noise: 23.273000000000003
                text = BigDecimal.valueOf(random.nextInt(180_000) - 90_000, 3).toPlainString() + "00000000000"
                        + random.nextInt(10);
            }
            int shift = random.nextInt(3);
            int decimals = shift + random.nextInt(7);
            double fast = PlainDecimal.rounded(text, shift, decimals);
            double exact = new BigDecimal(text).movePointLeft(shift).setScale(decimals, RoundingMode.HALF_UP)
                    .doubleValue();
            if (!Double.isNaN(fast)) {
                assertEquals(exact + 0.0, fast + 0.0, text + " /10^" + shift + " to " + decimals);
            } else {
                assertTrue(new BigDecimal(text).movePointLeft(shift).setScale(decimals, RoundingMode.DOWN)
                        .unscaledValue().abs().bitLength() > 49, text + " is left to BigDecimal");
            }
        }
        assertEquals(1.0, PlainDecimal.rounded("0.9999995", 0, 6));
        assertEquals(-23.273, PlainDecimal.rounded("-23.273000000000003", 0, 6));
        assertEquals(941.1235, PlainDecimal.rounded("94112.345", 2, 4));
        assertTrue(Double.isNaN(PlainDecimal.rounded("1e5", 0, 3)));
    }

    @Test
    void aLongDecimalWellInsideItsRangeIsInsideItExactly() {
        Range lon = new Range(-180, 180, "degrees");
        Range pressure = new Range(300, 1100, "hPa");
        Units.Conversion pa = Units.conversion("Pa", "hPa");
        Random random = new Random(19);
        for (int i = 0; i < 200_000; i++) {
            boolean isLon = random.nextBoolean();
            Range range = isLon ? lon : pressure;
            Units.Conversion conversion = isLon ? Units.Conversion.IDENTITY : pa;
            double edge = random.nextBoolean() ? range.min() : range.max();
            double near = edge / conversion.factor() + (random.nextDouble() - 0.5) * Math.pow(10, -random.nextInt(14));
            String text = new BigDecimal(near).setScale(10 + random.nextInt(10), RoundingMode.HALF_EVEN).toPlainString();
            double approx = PlainDecimal.rounded(text, 0, 9);
            if (!Double.isNaN(approx) && ConformsToRulesValidator.wellInside(range, conversion, conversion.apply(approx))) {
                double exact = Double.parseDouble(text) * conversion.factor();
                assertTrue(range.contains(exact), text + " judged inside " + range.expected());
            }
        }
    }
}
