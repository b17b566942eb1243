package io.sensorpipe.intake;

import java.util.List;

/**
 * A record as commons-csv parsed it, before {@link RowChunker} attaches its line and raw text.
 *
 * @param recordNumber 1 for the header
 * @param position     character offset where the record starts
 */
public record ParsedRecord(long recordNumber, long position, List<String> values) {
}
