package io.sensorpipe.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import io.sensorpipe.PipelineConfig;

/**
 * Reads a file's first line and decides whether it is a CSV of a known shape. Leading index columns
 * (an empty name, or pandas' {@code Unnamed: 0}) are allowed and ignored; column order may vary.
 */
@ApplicationScoped
@Named("headerInspector")
public class HeaderInspector {

    public static final String LAYOUT = "csvLayout";

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final Pattern INDEX_COLUMN = Pattern.compile("(|Unnamed: \\d+)");

    private final Charset charset;

    @Inject
    public HeaderInspector(PipelineConfig config) {
        this(Charset.forName(config.charset()));
    }

    public HeaderInspector(Charset charset) {
        this.charset = charset;
    }

    /** Sets the {@value #LAYOUT} exchange property, or throws {@link UnreadableFileException}. */
    public void inspect(Exchange exchange) throws IOException {
        Path file = exchange.getIn().getBody(java.io.File.class).toPath();
        exchange.setProperty(LAYOUT, layoutOf(readFirstLine(file, charset)));
    }

    static String readFirstLine(Path file, Charset charset) throws IOException {
        byte[] head;
        try (InputStream in = InputNames.open(file)) {
            head = in.readNBytes(MAX_HEADER_BYTES);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new UnreadableFileException("not valid gzip: " + e.getMessage());
        }
        if (head.length == 0) {
            throw new UnreadableFileException("file is empty");
        }
        int end = 0;
        while (end < head.length && head[end] != '\n' && head[end] != '\r') {
            if (head[end] == 0) {
                throw new UnreadableFileException("not a text file: NUL byte in the first line");
            }
            end++;
        }
        if (end == head.length && head.length == MAX_HEADER_BYTES) {
            throw new UnreadableFileException("no header: the first line is longer than " + MAX_HEADER_BYTES + " bytes");
        }
        try {
            String line = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head, 0, end))
                    .toString();
            return line.startsWith("\uFEFF") ? line.substring(1) : line;
        } catch (CharacterCodingException e) {
            throw new UnreadableFileException("not " + charset.name() + " text: the first line does not decode");
        }
    }

    public static CsvLayout layoutOf(String headerLine) throws IOException {
        if (headerLine.isBlank()) {
            throw new UnreadableFileException("no header: the first line is blank");
        }
        List<String> header;
        try (CSVParser parser = CSVFormat.DEFAULT.parse(new StringReader(headerLine))) {
            List<CSVRecord> records = parser.getRecords();
            header = records.isEmpty() ? List.of() : records.get(0).toList();
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new UnreadableFileException("header is not valid CSV: " + e.getMessage());
        }
        int lastNamed = header.size();
        while (lastNamed > 0 && header.get(lastNamed - 1).isBlank()) {
            lastNamed--;
        }
        header = header.subList(0, lastNamed);
        int firstNamed = 0;
        while (firstNamed < header.size() && INDEX_COLUMN.matcher(header.get(firstNamed).trim()).matches()) {
            firstNamed++;
        }
        Map<String, Integer> byName = new HashMap<>();
        for (int i = firstNamed; i < header.size(); i++) {
            String name = header.get(i).trim();
            if (byName.putIfAbsent(name.toLowerCase(Locale.ROOT), i) != null) {
                throw new UnreadableFileException("header names column '" + name + "' twice");
            }
        }
        Shape best = null;
        Set<String> bestMissing = null;
        for (Shape shape : Shape.values()) {
            Set<String> missing = new LinkedHashSet<>();
            for (String column : shape.columns()) {
                if (!byName.containsKey(column.toLowerCase(Locale.ROOT))) {
                    missing.add(column);
                }
            }
            if (bestMissing == null || missing.size() < bestMissing.size()) {
                best = shape;
                bestMissing = missing;
            }
        }
        Set<String> known = new java.util.HashSet<>();
        best.columns().forEach(c -> known.add(c.toLowerCase(Locale.ROOT)));
        List<String> unknown = new ArrayList<>();
        for (int i = firstNamed; i < header.size(); i++) {
            if (!known.contains(header.get(i).trim().toLowerCase(Locale.ROOT))) {
                unknown.add(header.get(i).trim());
            }
        }
        if (!bestMissing.isEmpty() || !unknown.isEmpty()) {
            throw new UnreadableFileException("unknown header " + abbreviate(headerLine)
                    + ": expected the columns of " + Shape.BME280.columns() + " or " + Shape.PARTICULATE.columns()
                    + (bestMissing.isEmpty() ? "" : ", missing " + bestMissing)
                    + (unknown.isEmpty() ? "" : ", unknown " + unknown));
        }
        Map<String, Integer> columnIndex = new HashMap<>();
        for (String column : best.columns()) {
            columnIndex.put(column, byName.get(column.toLowerCase(Locale.ROOT)));
        }
        return new CsvLayout(best, headerLine, List.copyOf(header), Map.copyOf(columnIndex));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? "'" + s + "'" : "'" + s.substring(0, 200) + "…'";
    }
}
