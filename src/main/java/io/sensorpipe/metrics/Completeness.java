package io.sensorpipe.metrics;

/**
 * Whether the rows of a sealed file in the database are the rows its read sent: the decision that lets a
 * file be {@code LOADED}.
 */
enum Completeness {

    /** Exactly the rows the read sent are loaded or refused. */
    COMPLETE,
    /**
     * Fewer: rows are missing, and the file is never {@code LOADED}. The seal follows the file's chunks in
     * their partition, so rows missing at the seal are lost (say, the topic's partitions were added while
     * the file was in flight).
     */
    ROWS_MISSING,
    /**
     * More: only if the rules changed between a read cut short and its re-read; rows loaded by the earlier
     * read under other rules stay loaded.
     */
    MORE_THAN_SENT;

    static Completeness of(long loaded, long refused, long expected) {
        long inDatabase = loaded + refused;
        return inDatabase < expected ? ROWS_MISSING : inDatabase > expected ? MORE_THAN_SENT : COMPLETE;
    }
}
