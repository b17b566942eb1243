package io.sensorpipe.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/**
 * The hand-written number checks against the contract (docs/contract.md, "Rules"): a whole number is an
 * optional sign and 1 to 18 digits; a decimal is plain notation with an optional exponent of at most
 * three digits (its finiteness is checked afterwards). Each text is accepted or refused by hand here.
 */
class NumberShapesTest {

    private static final List<String> WHOLE = List.of("0", "7", "-7", "+7", "2040", "007",
            "123456789012345678", "-123456789012345678");
    private static final List<String> NOT_WHOLE = List.of("", "+", "-", "+-1", "1.0", "1.", "1e3", " 1", "1 ",
            "1234567890123456789", "١٢", "0x10", "1_000", "x12", "NaN");
    private static final List<String> DECIMAL = List.of("0", "5", "-5", "+5", "5.", ".5", "-.5", "+.5", "5.25",
            "94000.25", "-0.0", "1e3", "1E3", "1e+3", "1e-12", "1.5E+3", "1e999", "12345678901234567890",
            "42.68600000000001");
    private static final List<String> NOT_DECIMAL = List.of("", "+", "-", ".", "-.", "1e", "1e+", "1e1234", "e5",
            "+-1", "1..2", "1.2.3", "NaN", "Infinity", "-Infinity", "0x1p3", "1d", "1f", "١٢", " 1", "1 ", "1,5",
            "1 000", "--1");

    /** The texts the check gets wrong: refuses one it must accept, or accepts one it must refuse. */
    private static List<String> misjudged(List<String> accept, List<String> refuse, Predicate<String> check) {
        List<String> wrong = new ArrayList<>();
        accept.stream().filter(check.negate()).forEach(t -> wrong.add("refused '" + t + "'"));
        refuse.stream().filter(check).forEach(t -> wrong.add("accepted '" + t + "'"));
        return wrong;
    }

    @Test
    void wholeNumbersAreAcceptedAsTheContractSays() {
        assertEquals(List.of(), misjudged(WHOLE, NOT_WHOLE, ConformsToRulesValidator::isWhole));
    }

    @Test
    void decimalsAreAcceptedAsTheContractSays() {
        assertEquals(List.of(), misjudged(DECIMAL, NOT_DECIMAL, ConformsToRulesValidator::isDecimal));
    }
}
