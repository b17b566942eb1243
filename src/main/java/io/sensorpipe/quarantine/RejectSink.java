package io.sensorpipe.quarantine;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.sensorpipe.Json;
import io.sensorpipe.intake.SpreadsheetSafe;
import io.sensorpipe.records.CsvLine;
import io.sensorpipe.records.Reason;
import io.sensorpipe.sources.Source;
import io.sensorpipe.support.FolderUnavailableException;
import io.sensorpipe.support.ReportNames;
import io.sensorpipe.support.SafeFiles;

/**
 * The two quarantine files of one input file: {@code X.csv.rejected.csv} (header and rejected lines,
 * ready to be fixed and dropped back into the data folder) and {@code X.csv.errors.jsonl} (one JSON
 * object per rejected row). Lines are copied as they are in the input file, each with its own line
 * terminator (a last line written without one gets the header's). Opened on the first rejected
 * row of a read, created new (an earlier, failed read's reports of the same name are removed first; a
 * link standing there is never written through). Together they hold at most
 * {@code pipeline.limits.max-report-bytes}: the row that would pass it ends them with a marker, the read
 * stops at its next chunk (or its seal), and the file is quarantined whole.
 */
public final class RejectSink implements Closeable {

    private final String fileName;
    private final String sha256;
    private final String ruleSetVersion;
    private final Source source;
    private final Path rejectedPath;
    private final Path errorsPath;
    private final BufferedWriter rejected;
    private final BufferedWriter errors;
    private final long maxBytes;
    /** Bytes written to both reports so far. */
    private long written;
    /** Why the reports stopped at their bound; null while they go on. */
    private String cut;
    /** The files' identities (inodes) as opened, to tell whether they are still where they were written. */
    private final Object rejectedKey;
    private final Object errorsKey;
    private boolean closed;
    /** The header's line terminator, also that of a rejected last line written without one. */
    private final String headerEnding;

    /** Room kept under the bound for the marker line that ends cut reports. */
    private static final int MARKER_RESERVE = 1024;

    RejectSink(Path quarantineDir, String fileName, String sha256, String headerLine, String headerEnding,
            String ruleSetVersion, Source source, long maxBytes) throws IOException {
        this.headerEnding = headerEnding;
        this.fileName = fileName;
        this.sha256 = sha256;
        this.ruleSetVersion = ruleSetVersion;
        this.source = source;
        this.maxBytes = maxBytes;
        Files.createDirectories(quarantineDir);
        rejectedPath = quarantineDir.resolve(ReportNames.of(fileName, ReportNames.REJECTED));
        errorsPath = quarantineDir.resolve(ReportNames.of(fileName, ReportNames.ERRORS));
        this.rejected = createNew(rejectedPath);
        try {
            this.errors = createNew(errorsPath);
        } catch (IOException e) {
            rejected.close();
            throw e;
        }
        rejectedKey = fileKey(rejectedPath);
        errorsKey = fileKey(errorsPath);
        rejected.write(headerLine);
        rejected.write(headerEnding);
        written = utf8Length(headerLine) + headerEnding.length();
    }

    /**
     * A report written new, never through a link: what an earlier read of a file of this name left is
     * removed first (a regular file only; anything else there is refused).
     */
    private static BufferedWriter createNew(Path report) throws IOException {
        SafeFiles.clearForRewrite(report);
        return new BufferedWriter(new OutputStreamWriter(SafeFiles.createNew(report), StandardCharsets.UTF_8));
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /**
     * Reports a rejected row; returns null, or, once the reports have reached their bound, why they
     * stopped (the row is then not written, and the file must be quarantined whole).
     */
    String write(CsvLine line, List<Reason> reasons) throws IOException {
        if (cut != null) {
            return cut;
        }
        String csv = SpreadsheetSafe.line(line.raw(), source.dialect());
        String ending = line.ending().isEmpty() ? headerEnding : line.ending();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", fileName);
        entry.put("file_sha256", sha256);
        entry.put("line", line.lineNumber());
        entry.put("raw", line.raw());
        entry.put("rule_set_version", ruleSetVersion);
        entry.put("source", source.name());
        entry.put("source_version", source.version());
        entry.put("reasons", reasons);
        String json = Json.MAPPER.writeValueAsString(entry);
        long bytes = utf8Length(csv) + ending.length() + utf8Length(json) + 1;
        if (maxBytes > 0 && written + bytes + MARKER_RESERVE > maxBytes) {
            return cut(line.lineNumber());
        }
        rejected.write(csv);
        rejected.write(ending);
        errors.write(json);
        errors.write('\n');
        written += bytes;
        return null;
    }

    /** Ends the reports at their bound with a marker line in {@code X.csv.errors.jsonl}; returns why. */
    private String cut(long line) throws IOException {
        cut = String.format(java.util.Locale.ROOT, "the reports of its rejected rows reached"
                + " pipeline.limits.max-report-bytes (%,d bytes) at line %d", maxBytes, line);
        Map<String, Object> marker = new LinkedHashMap<>();
        marker.put("file", fileName);
        marker.put("file_sha256", sha256);
        marker.put("truncated_at_line", line);
        marker.put("truncated", "the reports stop here: " + cut + "; the file is quarantined whole");
        errors.write(Json.MAPPER.writeValueAsString(marker));
        errors.write('\n');
        return cut;
    }

    private static long utf8Length(String text) {
        long bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                bytes += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1;
            }
        }
        return bytes;
    }

    /**
     * Flushes and closes both files (a second call only checks), then checks that they are still where
     * they were written: a quarantine folder moved or replaced during the read took them with it, and
     * this read's rejected rows would have no reports.
     */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try (rejected; errors) {
                rejected.flush();
                errors.flush();
            }
        }
        if (!sameFile(rejectedPath, rejectedKey) || !sameFile(errorsPath, errorsKey)) {
            throw new FolderUnavailableException(rejectedPath.getParent(), "the quarantine reports of " + fileName
                    + " are no longer where they were written (the folder was moved or replaced during the read)", null);
        }
    }

    private static boolean sameFile(Path path, Object key) {
        try {
            return key == null ? Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) : Objects.equals(key, fileKey(path));
        } catch (IOException e) {
            return false;
        }
    }
}
