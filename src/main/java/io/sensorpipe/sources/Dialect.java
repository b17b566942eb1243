package io.sensorpipe.sources;

import java.nio.charset.Charset;

/**
 * How a source writes its CSV files. Empty fields after the header's last column are always ignored.
 *
 * @param delimiter        between fields
 * @param quote            around a field holding the delimiter; null when the files never quote
 * @param decimalSeparator in readings: {@code .} or {@code ,}
 * @param charset          of the whole file
 * @param skipLines        lines before the header (a title, an export note), not read as data
 * @param skipEmptyRows    a row whose fields are all empty is skipped as a blank line instead of judged
 */
public record Dialect(char delimiter, Character quote, char decimalSeparator, Charset charset, int skipLines,
        boolean skipEmptyRows) {

    public static final Dialect DEFAULT = new Dialect(',', '"', '.', java.nio.charset.StandardCharsets.UTF_8, 0, false);

    public boolean decimalComma() {
        return decimalSeparator == ',';
    }
}
