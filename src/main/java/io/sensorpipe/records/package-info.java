/**
 * What travels between the stages: the records of the readings topic (a chunk of one file's
 * standardised readings, {@link io.sensorpipe.records.ReadingCodec}; a file's seal,
 * {@link io.sensorpipe.records.SealRecord}), a file's row as read ({@link io.sensorpipe.records.CsvLine}),
 * why a row was rejected ({@link io.sensorpipe.records.Reason}), a file's outcome and events, and the
 * names of the exchange properties that carry them ({@link io.sensorpipe.records.ExchangeProperties}).
 * It depends on no other package of the application but its base ({@code io.sensorpipe}).
 */
package io.sensorpipe.records;
