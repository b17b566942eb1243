/**
 * What watches everyone: the services' watch (suspending and resuming the routes), readiness, the status
 * endpoints, file events, and the embedded broker and database of dev mode and the tests.
 */
package io.sensorpipe.ops;
