/**
 * What every stage uses: the folders the pipeline writes to and safe access to files others can write,
 * the two classes of failure and the retries, cut texts, report names, the pipeline's counters. It knows
 * nothing of the stages above it.
 */
package io.sensorpipe.support;
