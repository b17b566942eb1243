package io.sensorpipe.intake;

import java.util.List;

/**
 * A record as commons-csv parsed it, before {@link RowChunker} attaches its line and raw text.
 *
 * @param recordNumber 1 for the header
 * @param position     character offset where the record starts
 * @param fields       how many fields the record has; more than {@code values} holds when there were too many to keep
 */
public record ParsedRecord(long recordNumber, long position, List<String> values, int fields) {
}
