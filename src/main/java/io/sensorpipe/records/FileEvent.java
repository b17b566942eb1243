package io.sensorpipe.records;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import io.sensorpipe.IngestStatus;

/**
 * One state change of an input file, published on the file-events topic keyed by its sha256.
 *
 * @param status {@code DETECTED}, {@code LOADED}, {@code QUARANTINED} or {@code DUPLICATE}
 * @param rowsTotal rows read (null while only detected, and for a duplicate, which is not read)
 * @param duplicateOf for a duplicate: the {@code ingest_file} id of the file whose content it repeats
 * @param reason for a file quarantined whole: why
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileEvent(
        @JsonProperty("file_id") long fileId,
        @JsonProperty("file_path") String filePath,
        @JsonProperty("file_name") String fileName,
        String sha256,
        String status,
        @JsonProperty("rows_total") Long rowsTotal,
        @JsonProperty("rows_loaded") Long rowsLoaded,
        @JsonProperty("rows_quarantined") Long rowsQuarantined,
        @JsonProperty("duplicate_of") Long duplicateOf,
        String reason,
        Instant timestamp) {

    public static FileEvent detected(long fileId, String path, String name, String sha256) {
        return new FileEvent(fileId, path, name, sha256, "DETECTED", null, null, null, null, null, Instant.now());
    }

    public static FileEvent duplicate(long fileId, String path, String name, String sha256, long duplicateOf) {
        return new FileEvent(fileId, path, name, sha256, IngestStatus.DUPLICATE.name(), null, null, null, duplicateOf, null,
                Instant.now());
    }

    public static FileEvent finished(long fileId, String path, String name, String sha256, IngestStatus status,
            long total, long loaded, long quarantined, String reason) {
        return new FileEvent(fileId, path, name, sha256, status.name(), total, loaded, quarantined, null, reason,
                Instant.now());
    }
}
