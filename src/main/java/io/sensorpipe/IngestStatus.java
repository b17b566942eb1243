package io.sensorpipe;

/**
 * Where a file stands in {@code ingest_file.status} (the table's check constraint lists the same names).
 * A file is {@code PROCESSING} from its registration until exactly one of the finishing transactions
 * passes (each requires {@code PROCESSING}); the other four are final.
 */
public enum IngestStatus {
    /** Registered and being read or loaded. */
    PROCESSING,
    /** Every row loaded or quarantined with its reasons; its metrics written. */
    LOADED,
    /** Quarantined whole: none of its rows stays in the database. */
    QUARANTINED,
    /** Its content is loaded, or being loaded, under another file: recorded and moved out unread. */
    DUPLICATE,
    /** An entry of the data folder that is never opened (a link, a FIFO, a hidden file, …). */
    SKIPPED;

    /** Whether {@code status}, as read from {@code ingest_file}, is this one. */
    public boolean is(String status) {
        return name().equals(status);
    }
}
