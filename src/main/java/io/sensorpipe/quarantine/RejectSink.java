package io.sensorpipe.quarantine;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.sensorpipe.Json;
import io.sensorpipe.intake.CsvLine;
import io.sensorpipe.sources.Source;
import io.sensorpipe.ops.FolderUnavailableException;
import io.sensorpipe.validation.Reason;

/**
 * The two quarantine files of one input file: {@code X.csv.rejected.csv} (header and rejected lines,
 * ready to be fixed and dropped back into the data folder) and {@code X.csv.errors.jsonl} (one JSON
 * object per rejected row). Lines are copied as they are in the input file. Opened on the first rejected row of a read, truncating what an earlier,
 * failed read of the same file left.
 */
public final class RejectSink implements AutoCloseable {

    private final String fileName;
    private final String sha256;
    private final String ruleSetVersion;
    private final Source source;
    private final Path rejectedPath;
    private final Path errorsPath;
    private final BufferedWriter rejected;
    private final BufferedWriter errors;
    /** The files' identities (inodes) as opened, to tell whether they are still where they were written. */
    private final Object rejectedKey;
    private final Object errorsKey;
    private boolean closed;

    RejectSink(Path quarantineDir, String fileName, String sha256, String headerLine, String ruleSetVersion,
            Source source) throws IOException {
        this.fileName = fileName;
        this.sha256 = sha256;
        this.ruleSetVersion = ruleSetVersion;
        this.source = source;
        Files.createDirectories(quarantineDir);
        rejectedPath = quarantineDir.resolve(ReportNames.of(fileName, ReportNames.REJECTED));
        errorsPath = quarantineDir.resolve(ReportNames.of(fileName, ReportNames.ERRORS));
        this.rejected = Files.newBufferedWriter(rejectedPath, StandardCharsets.UTF_8);
        try {
            this.errors = Files.newBufferedWriter(errorsPath, StandardCharsets.UTF_8);
        } catch (IOException e) {
            rejected.close();
            throw e;
        }
        rejectedKey = fileKey(rejectedPath);
        errorsKey = fileKey(errorsPath);
        rejected.write(headerLine);
        rejected.newLine();
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    }

    void write(CsvLine line, List<Reason> reasons) throws IOException {
        rejected.write(SpreadsheetSafe.line(line.raw()));
        rejected.newLine();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", fileName);
        entry.put("file_sha256", sha256);
        entry.put("line", line.lineNumber());
        entry.put("raw", line.raw());
        entry.put("rule_set_version", ruleSetVersion);
        entry.put("source", source.name());
        entry.put("source_version", source.version());
        entry.put("reasons", reasons);
        errors.write(Json.MAPPER.writeValueAsString(entry));
        errors.newLine();
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
            return key == null ? Files.isRegularFile(path) : Objects.equals(key, fileKey(path));
        } catch (IOException e) {
            return false;
        }
    }
}
