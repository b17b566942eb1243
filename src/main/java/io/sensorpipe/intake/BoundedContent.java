package io.sensorpipe.intake;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.ZipException;

import io.sensorpipe.PipelineConfig;

/**
 * A file's content as the intake reads it (after decompression), bounded: past
 * {@code pipeline.limits.max-decompressed-bytes}, or, for a compressed file, past
 * {@code pipeline.limits.max-compression-ratio} times its size as dropped, the read stops with
 * {@link UnreadableFileException} (the file is quarantined whole, saying which bound it passed). Every
 * mebibyte it also checks that the file is still in the data folder: one moved or deleted meanwhile is
 * read no further. A compressed file whose data is cut short, corrupt or followed by bytes that are not
 * gzip fails with a {@link ZipException}, which the reader reports as not valid gzip, with its line.
 */
public final class BoundedContent extends FilterInputStream {

    /** The bounds; zero for none. */
    public record Limits(long maxBytes, double maxRatio) {
        public static final Limits NONE = new Limits(0, 0);

        public static Limits of(PipelineConfig config) {
            return new Limits(config.limits().maxDecompressedBytes(), config.limits().maxCompressionRatio());
        }
    }

    private static final long CHECK_EVERY = 1 << 20;

    private final Path file;
    private final boolean compressed;
    private final long bound;
    private final String boundName;
    private long read;
    private long nextCheck = CHECK_EVERY;

    BoundedContent(InputStream content, Path file, long compressedSize, boolean compressed, Limits limits) {
        super(content);
        this.file = file;
        this.compressed = compressed;
        long byRatio = compressed && limits.maxRatio() > 0 ? (long) Math.min(Long.MAX_VALUE,
                Math.ceil(limits.maxRatio() * Math.max(compressedSize, 1))) : Long.MAX_VALUE;
        long byBytes = limits.maxBytes() > 0 ? limits.maxBytes() : Long.MAX_VALUE;
        this.bound = Math.min(byRatio, byBytes);
        this.boundName = byRatio < byBytes
                ? String.format(Locale.ROOT, "%s times its compressed size of %,d bytes"
                        + " (pipeline.limits.max-compression-ratio)", trim(limits.maxRatio()), compressedSize)
                : String.format(Locale.ROOT, "%,d bytes (pipeline.limits.max-decompressed-bytes)", byBytes);
    }

    private static String trim(double ratio) {
        return ratio == Math.rint(ratio) ? Long.toString((long) ratio) : Double.toString(ratio);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = super.read(b, off, len);
        } catch (IOException e) {
            if (!compressed) {
                throw e;
            }
            // Cut short, corrupt, or followed by bytes that are not gzip: told as gzip's fault, where it happened.
            ZipException gzip = new ZipException(e.getMessage() != null ? e.getMessage()
                    : "the gzip data ends early (" + e.getClass().getSimpleName() + ")");
            gzip.initCause(e);
            throw gzip;
        }
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
    }

    private void counted(int n) {
        read += n;
        if (read > bound) {
            throw new UnreadableFileException("the content is larger than " + boundName
                    + ": read no further");
        }
        if (read >= nextCheck) {
            nextCheck = read + CHECK_EVERY;
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnreadableFileException(String.format(Locale.ROOT,
                        "the file left the data folder while it was read (after %,d bytes of content): read no further",
                        read));
            }
        }
    }
}
