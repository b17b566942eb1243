package io.sensorpipe.intake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * The input files the pipeline reads: {@code X.csv}, and {@code X.csv.gz} (gzip), which is read as a
 * stream, never unpacked to disk; its content hash, size limit and reports are those of the file as
 * dropped.
 */
public final class InputNames {

    private static final int BUFFER = 64 * 1024;

    private InputNames() {
    }

    /** Whether a name is one the pipeline reads ({@code X.csv} or {@code X.csv.gz}, any case). */
    public static boolean isInput(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".csv") || lower.endsWith(".csv.gz");
    }

    /** Whether the file is gzip-compressed, by its name. */
    public static boolean isGzip(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /** The name without its extension ({@code .csv} or {@code .csv.gz}), and that extension. */
    public static String[] stemAndExtension(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int cut = lower.endsWith(".csv.gz") ? name.length() - 7 : lower.endsWith(".csv") ? name.length() - 4
                : name.length();
        return new String[] {name.substring(0, cut), name.substring(cut)};
    }

    /**
     * The file's content, decompressed as it is read for {@code X.csv.gz}. A file that is not gzip although
     * its name says so fails at once with {@link UnreadableFileException}.
     */
    public static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        if (!isGzip(file.getFileName().toString())) {
            return raw;
        }
        try {
            return new GZIPInputStream(new BufferedInputStream(raw, BUFFER), BUFFER);
        } catch (IOException e) {
            raw.close();
            throw new UnreadableFileException("not gzip although its name ends in .gz: " + e.getMessage());
        }
    }
}
