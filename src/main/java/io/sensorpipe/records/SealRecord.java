package io.sensorpipe.records;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.sensorpipe.Json;

/**
 * A file's seal as a record of the readings topic: {@code #readings-seal}, a tab, and the
 * {@link FileSealed} as JSON. csv-intake publishes it keyed by the file's id once every chunk of the
 * file is acknowledged, so it follows them in their partition: whichever instance loads that
 * partition meets the seal after the file's last row is in the database.
 */
public final class SealRecord {

    public static final String SEAL = "#readings-seal";

    private SealRecord() {
    }

    public static String encode(FileSealed sealed) {
        try {
            return SEAL + "\t" + Json.MAPPER.writeValueAsString(sealed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the seal of " + sealed.fileName(), e);
        }
    }

    public static boolean isSeal(String value) {
        return value.startsWith(SEAL + "\t");
    }

    public static FileSealed decode(String value) {
        try {
            return Json.MAPPER.readValue(value.substring(SEAL.length() + 1), FileSealed.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new PoisonRecordException(DeadLetterReason.MALFORMED, "file seal: " + e.getMessage());
        }
    }
}
