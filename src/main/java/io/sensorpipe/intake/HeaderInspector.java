package io.sensorpipe.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import io.sensorpipe.PipelineConfig;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.sources.CsvLayout;
import io.sensorpipe.sources.Dialect;
import io.sensorpipe.sources.Field;
import io.sensorpipe.sources.Source;
import io.sensorpipe.sources.SourceCatalog;

/**
 * Reads a file's header and finds the configured source it belongs to: the one whose file-name
 * pattern (if it has one) matches the file's name and whose columns are exactly the header's, in any
 * order. Leading index columns (an empty name, or pandas' {@code Unnamed: 0}) are allowed and
 * ignored; names are compared without regard to case and surrounding spaces. A source with a
 * file-name pattern goes before one without.
 */
@ApplicationScoped
@Named("headerInspector")
public class HeaderInspector {

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final Pattern INDEX_COLUMN = Pattern.compile("(|Unnamed: \\d+)");

    private final SourceCatalog sources;

    private final int maxFields;

    @Inject
    public HeaderInspector(SourceCatalog sources, PipelineConfig config) {
        this(sources, config.limits().maxFields());
    }

    /** @param maxFields most columns a header may have ({@code pipeline.limits.max-fields}) */
    public HeaderInspector(SourceCatalog sources, int maxFields) {
        this.sources = sources;
        this.maxFields = maxFields;
    }

    /** Sets the {@value #ExchangeProperties.CSV_LAYOUT} exchange property, or throws {@link UnreadableFileException}. */
    public void inspect(Exchange exchange) throws IOException {
        Path file = exchange.getIn().getBody(java.io.File.class).toPath();
        CsvLayout layout = layoutOf(file.getFileName().toString(), readHead(file));
        FileIntake intake = exchange.getProperty(ExchangeProperties.FILE_INTAKE, FileIntake.class);
        if (intake != null) {
            intake.readAs(layout.source());
        }
        exchange.setProperty(ExchangeProperties.CSV_LAYOUT, layout);
    }

    /** The first bytes of the file, unpacked when it is gzip: enough for any header. */
    public static byte[] readHead(Path file) throws IOException {
        try (InputStream in = InputNames.open(file)) {
            return in.readNBytes(MAX_HEADER_BYTES);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new UnreadableFileException("not valid gzip: " + e.getMessage());
        }
    }

    /** The layout of a file of this name beginning with these bytes, or {@link UnreadableFileException} saying why none. */
    public CsvLayout layoutOf(String fileName, byte[] head) throws UnreadableFileException {
        String name = InputNames.isGzip(fileName) ? fileName.substring(0, fileName.length() - 3) : fileName;
        CsvLayout found = null;
        String structural = null;
        Mismatch closest = null;
        List<String> tried = new ArrayList<>();
        for (Source source : sources.sources()) {
            Matcher byName = null;
            if (source.fileName() != null) {
                byName = source.fileName().matcher(name);
                if (!byName.matches()) {
                    continue;
                }
            }
            tried.add(source.name());
            try {
                String line = headerLine(head, source.dialect());
                List<String> header = fields(line, source.dialect());
                if (header.size() > maxFields) {
                    throw new UnreadableFileException(String.format(Locale.ROOT, "the header has %,d columns, more than"
                            + " pipeline.limits.max-fields (%,d)", header.size(), maxFields));
                }
                Map<String, Integer> columns = columnsOf(header);
                Mismatch mismatch = mismatch(source, columns, header, line);
                if (mismatch != null) {
                    closest = closest == null || mismatch.size() < closest.size() ? mismatch : closest;
                } else if (found == null || (found.source().fileName() == null && source.fileName() != null)) {
                    found = layout(source, line, headerEnding(head, source.dialect()), header, columns, byName);
                }
            } catch (UnreadableFileException e) {
                structural = structural == null ? e.getMessage() : structural;
            }
        }
        if (found != null) {
            return found;
        }
        if (closest != null) {
            throw new UnreadableFileException("unknown header " + abbreviate(closest.line())
                    + ": no source has these columns; closest is " + closest.source().name() + " "
                    + closest.source().columns()
                    + (closest.missing().isEmpty() ? "" : ", missing " + some(closest.missing()))
                    + (closest.unknown().isEmpty() ? "" : ", unknown " + some(closest.unknown()))
                    + " (sources tried: " + String.join(", ", tried) + ")");
        }
        if (structural != null) {
            throw new UnreadableFileException(structural);
        }
        throw new UnreadableFileException("no source takes a file named " + abbreviate(fileName)
                + ": every source has a file-name pattern and none matches");
    }

    /** The header line: the first after the dialect's skipped lines, decoded in its charset. */
    static String headerLine(byte[] head, Dialect dialect) throws UnreadableFileException {
        if (head.length == 0) {
            throw new UnreadableFileException("file is empty");
        }
        int start = headerStart(head, dialect);
        int end = start;
        while (end < head.length && head[end] != '\n' && head[end] != '\r') {
            if (head[end] == 0) {
                throw new UnreadableFileException("not a text file: NUL byte in the first line");
            }
            end++;
        }
        if (end == head.length && head.length == MAX_HEADER_BYTES) {
            throw new UnreadableFileException("no header: the first line is longer than " + MAX_HEADER_BYTES + " bytes");
        }
        Charset charset = dialect.charset();
        String line;
        try {
            line = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableFileException("not " + charset.name() + " text: the first line does not decode");
        }
        line = line.startsWith("\uFEFF") ? line.substring(1) : line;
        if (line.isBlank()) {
            throw new UnreadableFileException("no header: the first line is blank");
        }
        return line;
    }

    /** Where the header line starts: after the dialect's skipped lines. */
    private static int headerStart(byte[] head, Dialect dialect) throws UnreadableFileException {
        int start = 0;
        for (int skipped = 0; skipped < dialect.skipLines(); skipped++) {
            while (start < head.length && head[start] != '\n') {
                start++;
            }
            if (start >= head.length) {
                throw new UnreadableFileException("no header: the file ends before line " + (dialect.skipLines() + 1)
                        + " (" + dialect.skipLines() + " lines before the header are skipped)");
            }
            start++;
        }
        return start;
    }

    /** The header line's terminator as written; {@code \n} for a file of a header alone. */
    static String headerEnding(byte[] head, Dialect dialect) throws UnreadableFileException {
        int end = headerStart(head, dialect);
        while (end < head.length && head[end] != '\n' && head[end] != '\r') {
            end++;
        }
        if (end >= head.length) {
            return "\n";
        }
        if (head[end] == '\n') {
            return "\n";
        }
        return end + 1 < head.length && head[end + 1] == '\n' ? "\r\n" : "\r";
    }

    /** The header's fields, without empty ones at its end. */
    static List<String> fields(String headerLine, Dialect dialect) throws UnreadableFileException {
        List<String> header;
        try (CSVParser parser = CSVFormat.DEFAULT.builder().setDelimiter(dialect.delimiter())
                .setQuote(dialect.quote()).get().parse(new StringReader(headerLine))) {
            List<CSVRecord> records = parser.getRecords();
            header = records.isEmpty() ? List.of() : records.get(0).toList();
        } catch (IOException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new UnreadableFileException("header is not valid CSV: " + e.getMessage());
        }
        int lastNamed = header.size();
        while (lastNamed > 0 && header.get(lastNamed - 1).isBlank()) {
            lastNamed--;
        }
        return List.copyOf(header.subList(0, lastNamed));
    }

    /** Each named column's position, by its name in lower case; leading index columns left out. */
    private static Map<String, Integer> columnsOf(List<String> header) throws UnreadableFileException {
        int firstNamed = 0;
        while (firstNamed < header.size() && INDEX_COLUMN.matcher(header.get(firstNamed).trim()).matches()) {
            firstNamed++;
        }
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = firstNamed; i < header.size(); i++) {
            String name = header.get(i).trim();
            if (byName.putIfAbsent(name.toLowerCase(Locale.ROOT), i) != null) {
                throw new UnreadableFileException("header names column '" + name + "' twice");
            }
        }
        return byName;
    }

    private record Mismatch(Source source, String line, Set<String> missing, List<String> unknown) {
        int size() {
            return missing.size() + unknown.size();
        }
    }

    private static Mismatch mismatch(Source source, Map<String, Integer> columns, List<String> header, String line) {
        Set<String> missing = new LinkedHashSet<>();
        Set<String> known = new HashSet<>();
        for (String column : source.columns()) {
            String key = column.toLowerCase(Locale.ROOT);
            known.add(key);
            if (!columns.containsKey(key)) {
                missing.add(column);
            }
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Integer> column : columns.entrySet()) {
            if (!known.contains(column.getKey())) {
                unknown.add(header.get(column.getValue()).trim());
            }
        }
        return missing.isEmpty() && unknown.isEmpty() ? null : new Mismatch(source, line, missing, unknown);
    }

    private static CsvLayout layout(Source source, String line, String ending, List<String> header,
            Map<String, Integer> columns, Matcher byName) {
        int[] fieldAt = new int[source.slots()];
        String[] fixed = new String[source.slots()];
        Arrays.fill(fieldAt, -1);
        for (int slot = 0; slot < source.slots(); slot++) {
            Source.From from = source.from(slot);
            if (from == null) {
                continue;
            }
            switch (from.origin()) {
                case COLUMN -> fieldAt[slot] = columns.get(from.value().toLowerCase(Locale.ROOT));
                case CONSTANT -> fixed[slot] = from.value();
                case FILE_NAME -> fixed[slot] = byName.group(from.value());
            }
        }
        int timeAt = -1;
        if (source.dateColumn() != null) {
            fieldAt[Field.TIMESTAMP.ordinal()] = columns.get(source.dateColumn().toLowerCase(Locale.ROOT));
            timeAt = columns.get(source.timeColumn().toLowerCase(Locale.ROOT));
        }
        return new CsvLayout(source, line, ending, header, fieldAt, timeAt, fixed);
    }

    /** The first few names of a list, and how many more there are. */
    private static String some(java.util.Collection<String> names) {
        if (names.size() <= 12) {
            return names.toString();
        }
        return names.stream().limit(10).map(n -> n.length() > 40 ? n.substring(0, 40) + "…" : n)
                .collect(java.util.stream.Collectors.joining(", ", "[", ", … and " + (names.size() - 10) + " more]"));
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? "'" + s + "'" : "'" + s.substring(0, 200) + "…'";
    }
}
