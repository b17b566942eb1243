package io.sensorpipe.intake;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import io.sensorpipe.sources.Dialect;

/**
 * CSV injection, as OWASP describes it: {@code X.csv.rejected.csv} is meant to be opened in a
 * spreadsheet, fixed and dropped back, and a cell such as {@code =cmd|'/C calc'!A0} or
 * {@code =HYPERLINK(…)} would run there. A cell that starts with {@code =}, {@code @}, a tab or a
 * carriage return, or with {@code +} or {@code -} without being a plain number, is written with a
 * leading apostrophe ({@code '=cmd…}), which spreadsheets show as text. The escape is undone when a
 * file is read ({@link #unescape}), so a rejected row dropped back is read with the values it had.
 */
public final class SpreadsheetSafe {

    /** One format per dialect, built once: every rejected row of a file is escaped in its file's dialect. */
    private static final java.util.Map<Dialect, CSVFormat> FORMATS = new java.util.concurrent.ConcurrentHashMap<>();

    private SpreadsheetSafe() {
    }

    /** As {@link #line(String, Dialect)} in the default dialect (commas, double quotes, decimal points). */
    public static String line(String raw) {
        return line(raw, Dialect.DEFAULT);
    }

    /**
     * The raw line as it goes into {@code rejected.csv}: unchanged unless a cell must be escaped, its cells
     * as the file's dialect separates and quotes them (a decimal comma's {@code -5,2} is a number).
     */
    public static String line(String raw, Dialect dialect) {
        CSVFormat format = FORMATS.computeIfAbsent(dialect, d -> CSVFormat.DEFAULT.builder().setDelimiter(d.delimiter())
                .setQuote(d.quote()).setRecordSeparator("").get());
        List<String> cells;
        try (CSVParser parser = CSVParser.parse(new StringReader(raw), format)) {
            List<CSVRecord> records = parser.getRecords();
            if (records.size() != 1) {
                return raw;
            }
            cells = records.get(0).toList();
        } catch (IOException | RuntimeException e) {
            // Not CSV as such (an unclosed quote): escape the line as one cell if it needs it.
            return needsEscape(raw) ? "'" + raw : raw;
        }
        boolean comma = dialect.decimalComma();
        if (cells.stream().noneMatch(cell -> needsEscape(comma ? cell.replace(',', '.') : cell))) {
            return raw;
        }
        List<String> escaped = new ArrayList<>(cells.size());
        for (String cell : cells) {
            escaped.add(needsEscape(comma ? cell.replace(',', '.') : cell) ? "'" + cell : cell);
        }
        StringBuilder out = new StringBuilder(raw.length() + 8);
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            printer.printRecord(escaped);
        } catch (IOException e) {
            throw new IllegalStateException("a StringBuilder does not fail", e);
        }
        return out.toString();
    }

    /** Whether a spreadsheet could take the cell for a formula. */
    static boolean needsEscape(String cell) {
        if (cell.isEmpty()) {
            return false;
        }
        char first = cell.charAt(0);
        if (first == '=' || first == '@' || first == '\t' || first == '\r') {
            return true;
        }
        return (first == '+' || first == '-') && !isPlainNumber(cell);
    }

    private static boolean isPlainNumber(String cell) {
        return cell.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    }

    /** A value as read from a file: the escape {@link #line} adds is removed. */
    public static String unescape(String value) {
        if (value.length() > 1 && value.charAt(0) == '\'' && needsEscape(value.substring(1))) {
            return value.substring(1);
        }
        return value;
    }
}
