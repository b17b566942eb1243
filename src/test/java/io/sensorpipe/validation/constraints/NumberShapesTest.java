package io.sensorpipe.validation.constraints;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The hand-written number checks accept exactly what their patterns describe. */
class NumberShapesTest {

    private static final String ALPHABET = "0123456789+-.eE x٣";

    @Test
    void scannersAgreeWithThePatternsOnRandomAndEdgeTexts() {
        List<String> texts = new ArrayList<>(List.of("", "+", "-", ".", "5.", ".5", "-.5", "1e3", "1e", "1e+", "1e-12",
                "1e1234", "1.5E+3", "+-1", "12345678901234567890", "123456789012345678", "1234567890123456789",
                "NaN", "Infinity", "0x1p3", "1d", "١٢", " 1", "1 "));
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(8); k > 0; k--) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            texts.add(text.toString());
        }
        for (String text : texts) {
            assertEquals(ConformsToRulesValidator.DECIMAL.matcher(text).matches(),
                    ConformsToRulesValidator.isDecimal(text), "decimal: '" + text + "'");
            assertEquals(ConformsToRulesValidator.WHOLE.matcher(text).matches(),
                    ConformsToRulesValidator.isWhole(text), "whole: '" + text + "'");
        }
    }
}
