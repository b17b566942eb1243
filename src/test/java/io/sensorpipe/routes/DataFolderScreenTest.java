package io.sensorpipe.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sensorpipe.intake.DataFolderScreen;
import io.sensorpipe.intake.FileClaims;
import io.sensorpipe.intake.FileMoves;
import io.sensorpipe.support.Folders;
import io.sensorpipe.testdata.IngestFiles;
import io.sensorpipe.testdata.TestConfig;

/** The screen of entries never to be read, as two instances on one folder run it: one records and moves each. */
class DataFolderScreenTest {

    @TempDir
    Path work;

    private final DefaultCamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void anEntryAnotherInstanceIsScreeningIsLeftToIt() throws Exception {
        context.start();
        DataSource database = LedgerDatabase.fresh();
        Path data = Files.createDirectories(work.resolve("data"));
        Path quarantine = Files.createDirectories(work.resolve("quarantine"));
        Path link = Files.createSymbolicLink(data.resolve("link.csv"), Files.writeString(work.resolve("target"), "x"));
        FileClaims other = new FileClaims(database, context, Duration.ofSeconds(30));
        Folders folders = new Folders(quarantine, data.resolve(".done"));
        DataFolderScreen screen = new DataFolderScreen(database,
                TestConfig.pipeline(Map.of("pipeline.data-dir", data.toString())),
                new FileClaims(database, context, Duration.ofSeconds(30)));
        FileMoves moves = new FileMoves(null, folders);

        assertTrue(other.add("link.csv"), "another instance is screening the entry");
        assertEquals(List.of(), screen.entriesNotToRead(), "left to the instance that claimed it");

        other.remove("link.csv");
        List<DataFolderScreen.Entry> entries = screen.entriesNotToRead();
        assertEquals(List.of("link.csv"), entries.stream().map(DataFolderScreen.Entry::name).toList());
        assertFalse(other.add("link.csv"), "claimed by this screen while it records and moves it");
        // data-folder-screen's steps for it
        DataFolderScreen.Entry recorded = screen.record(entries.get(0));
        assertEquals(DataFolderScreen.Verdict.MOVE_AWAY, recorded.verdict());
        moves.toSkipped(recorded);
        screen.letGo(recorded);
        assertEquals("SKIPPED", new IngestFiles(database).byName("link.csv").get("status"));
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(quarantine.resolve(".skipped").resolve("link.csv"), LinkOption.NOFOLLOW_LINKS),
                "moved, as a link, to quarantine/.skipped");
        assertTrue(other.add("link.csv"), "its claim let go once it was screened");
    }
}
