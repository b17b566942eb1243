package io.sensorpipe.intake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import io.sensorpipe.support.SafeFiles;

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

    /** Why a file that is gone when its content is to be opened is quarantined (its read cannot go on). */
    static UnreadableFileException leftBeforeOpened() {
        return new UnreadableFileException("the file left the data folder while it was read (before its content"
                + " was opened): read no further");
    }

    /** The start of the file's content (its header, say), unbounded: the caller reads a few bytes. */
    public static InputStream open(Path file) throws IOException {
        return open(file, BoundedContent.Limits.NONE);
    }

    /**
     * The file's content, decompressed as it is read for {@code X.csv.gz} (every gzip member in turn;
     * bytes after the last one that are not a gzip member fail the read), within {@code limits}. A
     * file that is not gzip although its name says so fails at once with {@link UnreadableFileException}.
     * Never through a link, and never a file with several names.
     */
    public static InputStream open(Path file, BoundedContent.Limits limits) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw leftBeforeOpened();
        }
        String oddity = SafeFiles.oddity(file, attributes);
        if (oddity != null) {
            throw new IOException(file.getFileName() + " is no longer a plain file (" + oddity + "): not opened");
        }
        InputStream raw = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        boolean gzip = isGzip(file.getFileName().toString());
        InputStream content = raw;
        if (gzip) {
            try {
                content = GzipCompressorInputStream.builder().setInputStream(new BufferedInputStream(raw, BUFFER))
                        .setDecompressConcatenated(true).get();
            } catch (IOException e) {
                raw.close();
                throw new UnreadableFileException("not gzip although its name ends in .gz: " + e.getMessage());
            }
        }
        return new BoundedContent(content, file, attributes.size(), gzip, limits);
    }
}
