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

/** The shortcuts taken for the common row agree with the general code they bypass. */
class FastPathsTest {

    @Test
    void plainTimestampsParseAsTheIsoFormatterParsesThem() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String text = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(3000),
                    random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(61), random.nextInt(61));
            assertEquals(viaFormatter(text), RuleSet.plainIsoLocal(text), text);
        }
        for (String other : List.of("2017-07-01 00:00:00", "2017-07-01T00:00:00Z", "2017-07-01t00:00:00",
                "2017-7-01T00:00:00", "+2017-07-01T00:00", "2017-07-01T00:00:0x")) {
            assertNull(RuleSet.plainIsoLocal(other), other + " is left to the formatter");
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
            // Pa to hPa (scale 0.01, 4 decimals kept), as the standardiser converts pressure
            double hpa = PlainDecimal.scaled(text, 2, 4);
            double exact = new BigDecimal(text).movePointLeft(2).setScale(4, RoundingMode.HALF_UP).doubleValue();
            if (!Double.isNaN(hpa)) {
                assertEquals(exact, hpa, text);
            } else {
                assertTrue(new BigDecimal(text).scale() > 2 || Double.isNaN(parsed), text + " needs rounding");
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
        assertEquals(0, RuleSet.decimalShiftOf(1.0));
        assertEquals(2, RuleSet.decimalShiftOf(0.01));
        assertEquals(-1, RuleSet.decimalShiftOf(0.5));
        assertEquals(-1, RuleSet.decimalShiftOf(100));
        assertEquals(-1, RuleSet.decimalShiftOf(0.0254));
    }
}
