package io.sensorpipe.records;

import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The quality figures of one file as read: what {@code X.csv.summary.json} and {@code ingest_file}
 * report about its rejections.
 *
 * @param source        the source the file was read as; null when its header matched none
 * @param sourceVersion that source's version
 * @param rejections    rejections per {@code field/rule}
 */
@RegisterForReflection
public record QualitySummary(String fileName, String sha256, String ruleSetVersion, String source,
        String sourceVersion, long rowsTotal,
        long rowsRejected, long blankLines, long firstRejectedLine, long lastRejectedLine,
        Map<String, Long> rejections) {
}
