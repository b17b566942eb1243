package io.sensorpipe.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The folder probe docs/security.md promises: a symbolic link standing as {@code quarantine/} or
 * {@code data/.done} fails it (readiness then says so and the work waits), and nothing is written through
 * the link.
 */
class FoldersTest {

    private static final String LINK = "a symbolic link: the pipeline writes only into real folders";

    @TempDir
    Path work;

    @Test
    void realFoldersPassAndALinkAsTheQuarantineOrTheDoneFolderFails() throws Exception {
        Path elsewhere = Files.createDirectories(work.resolve("elsewhere"));
        Folders folders = new Folders(work.resolve("quarantine"), work.resolve("data/.done"));
        assertEquals(Map.of(), folders.problems(), "missing folders are created and written");

        Files.delete(work.resolve("quarantine"));
        Files.createSymbolicLink(work.resolve("quarantine"), elsewhere);
        assertEquals(Map.of("quarantine", LINK), folders.problems());
        FolderUnavailableException refused = assertThrows(FolderUnavailableException.class,
                () -> folders.requireWritable(folders.quarantine()));
        assertEquals(true, refused.getMessage().contains(LINK), refused.getMessage());

        Files.delete(work.resolve("data/.done"));
        Files.createSymbolicLink(work.resolve("data/.done"), elsewhere);
        assertEquals(Map.of("quarantine", LINK, "done", LINK), folders.problems());
        assertThrows(FolderUnavailableException.class, () -> folders.requireWritable(folders.done()));
        try (var written = Files.list(elsewhere)) {
            assertEquals(0, written.count(), "nothing is written through a link");
        }
    }
}
