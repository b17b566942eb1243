package io.sensorpipe.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputNamesTest {

    @TempDir
    Path dir;

    @Test
    void namesThePipelineReads() {
        assertTrue(InputNames.isInput("a.csv"));
        assertTrue(InputNames.isInput("A.CSV"));
        assertTrue(InputNames.isInput("a.csv.gz"));
        assertTrue(InputNames.isInput("a.CSV.GZ"));
        assertFalse(InputNames.isInput("a.gz"));
        assertFalse(InputNames.isInput("a.csv.zip"));
        assertFalse(InputNames.isInput("a.csv.gz.part"));
        assertArrayEquals(new String[] {"a", ".csv"}, InputNames.stemAndExtension("a.csv"));
        assertArrayEquals(new String[] {"a.b", ".CSV.GZ"}, InputNames.stemAndExtension("a.b.CSV.GZ"));
    }

    @Test
    void aGzipFileIsReadDecompressedAndAPlainOneAsItIs() throws Exception {
        Path gz = dir.resolve("x.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("h1,h2\n1,2\n".getBytes(StandardCharsets.UTF_8));
        }
        try (InputStream in = InputNames.open(gz)) {
            assertEquals("h1,h2\n1,2\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Path plain = Files.writeString(dir.resolve("x.csv"), "h1,h2\n");
        try (InputStream in = InputNames.open(plain)) {
            assertEquals("h1,h2\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        Path fake = Files.writeString(dir.resolve("y.csv.gz"), "h1,h2\n");
        assertTrue(assertThrows(UnreadableFileException.class, () -> InputNames.open(fake)).getMessage()
                .startsWith("not gzip although its name ends in .gz"));
    }
}
