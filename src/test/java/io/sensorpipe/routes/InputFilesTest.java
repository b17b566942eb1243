package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sensorpipe.intake.InputFiles;

/**
 * The intake's record of the files it picked up, as two instances on one data folder and one database see
 * it: a file claimed by one is passed over by the other until it has left the folder and its reader has
 * let its claim go, also when the database was away at that moment.
 */
class InputFilesTest {

    @TempDir
    Path work;

    private final List<DefaultCamelContext> contexts = new ArrayList<>();
    private final List<InputFiles> instances = new ArrayList<>();
    private DataSource database;
    private Path data;

    @BeforeEach
    void folder() throws Exception {
        database = LedgerDatabase.fresh();
        data = Files.createDirectories(work.resolve("data"));
    }

    @AfterEach
    void stop() {
        instances.forEach(InputFiles::stop);
        contexts.forEach(DefaultCamelContext::stop);
    }

    private InputFiles instance() {
        DefaultCamelContext context = new DefaultCamelContext();
        context.start();
        contexts.add(context);
        InputFiles files = LedgerDatabase.inputFiles(database, data, context);
        files.start();
        instances.add(files);
        return files;
    }

    @Test
    void aFileReadByOneInstanceIsPassedOverByAnotherUntilItsReaderSeesItGone() throws Exception {
        InputFiles reader = instance();
        InputFiles other = instance();
        Path file = Files.writeString(data.resolve("x.csv"), "header\n");
        assertTrue(reader.add(null, "x.csv"), "claimed by the first to poll it");
        reader.track(file, Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)); // its read began
        assertFalse(other.add(null, "x.csv"), "passed over by the other");
        assertTrue(reader.contains("x.csv"));

        // The other instance loads its last rows and finishes it: the file leaves the data folder.
        other.release(file, data.resolve(".done/1-x.csv"));
        Files.writeString(data.resolve("x.csv"), "header\nnew content\n");
        assertFalse(other.add(null, "x.csv"), "a new file under that name waits while the reader still holds the name");
        reader.forgetFinished();
        assertFalse(reader.contains("x.csv"), "the reader forgot the file it read: another one is there now");
        assertTrue(other.add(null, "x.csv"), "the new file is free once the reader let its claim go");
    }

    @Test
    void aClaimThatCouldNotBeLetGoWhileTheDatabaseWasAwayIsLetGoAfterwards() throws Exception {
        InputFiles reader = instance();
        InputFiles other = instance();
        Files.writeString(data.resolve("y.csv"), "header\n");
        assertTrue(reader.add(null, "y.csv"));
        LedgerDatabase.stop();
        try {
            // The read fails (the database is away): the file is to be read again, by any instance.
            assertTrue(reader.remove("y.csv"));
        } finally {
            LedgerDatabase.restart();
        }
        assertFalse(other.add(null, "y.csv"), "the claim is still in the table");
        reader.forgetFinished();
        assertTrue(other.add(null, "y.csv"), "let go at the reader's next poll");
    }

    @Test
    void theReaderTakesUpAFileWhoseClaimItCouldNotLetGo() throws Exception {
        InputFiles reader = instance();
        Files.writeString(data.resolve("z.csv"), "header\n");
        assertTrue(reader.add(null, "z.csv"));
        LedgerDatabase.stop();
        try {
            assertTrue(reader.remove("z.csv"));
            assertFalse(reader.add(null, "z.csv"), "nothing is claimed while the database is away");
        } finally {
            LedgerDatabase.restart();
        }
        assertTrue(reader.add(null, "z.csv"), "claimed again once it is back");
    }

    @Test
    void aStoppedInstanceLetsItsClaimsGo() throws Exception {
        InputFiles reader = instance();
        InputFiles other = instance();
        Files.writeString(data.resolve("w.csv"), "header\n");
        assertTrue(reader.add(null, "w.csv"));
        reader.stop();
        assertTrue(other.add(null, "w.csv"), "free at once, without waiting for the claim to expire");
    }
}
