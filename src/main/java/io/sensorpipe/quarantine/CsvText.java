package io.sensorpipe.quarantine;

import java.util.List;

import org.apache.commons.csv.CSVFormat;

/** Writes a parsed record back as a CSV line: verbatim for unquoted input, re-quoted where a field needs it. */
final class CsvText {

    private CsvText() {
    }

    static String line(List<String> values) {
        boolean plain = values.stream().noneMatch(v -> v.indexOf(',') >= 0 || v.indexOf('"') >= 0
                || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0);
        if (plain) {
            return String.join(",", values);
        }
        return CSVFormat.DEFAULT.format(values.toArray());
    }
}
