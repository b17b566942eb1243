package io.sensorpipe.quarantine;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sensorpipe.Json;
import io.sensorpipe.intake.CsvLine;
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
    private final BufferedWriter rejected;
    private final BufferedWriter errors;
    private boolean closed;

    RejectSink(Path quarantineDir, String fileName, String sha256, String headerLine, String ruleSetVersion) {
        this.fileName = fileName;
        this.sha256 = sha256;
        this.ruleSetVersion = ruleSetVersion;
        try {
            Files.createDirectories(quarantineDir);
            this.rejected = Files.newBufferedWriter(quarantineDir.resolve(fileName + ".rejected.csv"),
                    StandardCharsets.UTF_8);
            this.errors = Files.newBufferedWriter(quarantineDir.resolve(fileName + ".errors.jsonl"),
                    StandardCharsets.UTF_8);
            rejected.write(headerLine);
            rejected.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the quarantine files of " + fileName, e);
        }
    }

    void write(CsvLine line, List<Reason> reasons) throws IOException {
        rejected.write(line.raw());
        rejected.newLine();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("file", fileName);
        entry.put("file_sha256", sha256);
        entry.put("line", line.lineNumber());
        entry.put("raw", line.raw());
        entry.put("rule_set_version", ruleSetVersion);
        entry.put("reasons", reasons);
        errors.write(Json.MAPPER.writeValueAsString(entry));
        errors.newLine();
    }

    /** Flushes and closes both files; a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (rejected; errors) {
            rejected.flush();
            errors.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the quarantine files of " + fileName, e);
        }
    }
}
