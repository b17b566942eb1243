/**
 * The records of the readings topic, written by the intake and read by the loader: a chunk of one
 * file's standardised readings ({@link io.sensorpipe.records.ReadingCodec},
 * {@link io.sensorpipe.records.SensorReading}) and why a record can never be loaded
 * ({@link io.sensorpipe.records.PoisonRecordException}). It depends on no other package of the
 * application.
 */
package io.sensorpipe.records;
