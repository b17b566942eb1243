package io.sensorpipe.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.junit.jupiter.api.Test;

/** rejected.csv against CSV injection: what is escaped (OWASP's list), what is not, and that the escape round-trips. */
class SpreadsheetSafeTest {

    private static List<String> readBack(String line) throws Exception {
        try (CSVParser parser = CSVParser.parse(new StringReader(line), CSVFormat.DEFAULT)) {
            return parser.getRecords().get(0).toList().stream().map(SpreadsheetSafe::unescape).toList();
        }
    }

    @Test
    void formulaCellsGetALeadingApostropheAndEverythingElseIsLeftAsItIs() {
        // expected written line <- raw line, each by hand from OWASP's list of formula prefixes
        String[][] cases = {
            {"'=cmd|' /C calc'!A0,1,2", "=cmd|' /C calc'!A0,1,2"},
            {"\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1", "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1"},
            {"'@SUM(A1),1", "@SUM(A1),1"},
            {"'+49 30 1234,1", "+49 30 1234,1"},
            {"'-2+3,1", "-2+3,1"},
            {"'\t=1,1", "\"\t=1\",1"},
            {"2040,1025,42.686,23.351,2017-07-01T00:00:09,117638.84,-145.12,100.0",
                "2040,1025,42.686,23.351,2017-07-01T00:00:09,117638.84,-145.12,100.0"},
            {"+1.5e3,-0,-.5,x=1", "+1.5e3,-0,-.5,x=1"},
            {"\"a,b\",\"multi\nline\"", "\"a,b\",\"multi\nline\""},
        };
        for (String[] c : cases) {
            assertEquals(c[0], SpreadsheetSafe.line(c[1]), c[1]);
        }
    }

    @Test
    void anEscapedLineReadsBackAsTheCellsItWasWrittenFrom() throws Exception {
        for (String raw : List.of("=cmd|' /C calc'!A0,1,2", "@SUM(A1),\"=1,2\",-3,+x", "\"\r=1\",'quoted")) {
            try (CSVParser parser = CSVParser.parse(new StringReader(raw), CSVFormat.DEFAULT)) {
                assertEquals(parser.getRecords().get(0).toList(), readBack(SpreadsheetSafe.line(raw)), raw);
            }
        }
    }
}
