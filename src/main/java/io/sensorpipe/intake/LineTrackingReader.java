package io.sensorpipe.intake;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;

import io.sensorpipe.sources.Dialect;

/**
 * The reader {@code camel-csv} parses a file from. It keeps the text it has handed out since the
 * last record taken, so that each parsed record can be given back verbatim with the physical line it
 * starts on (a quoted field may span lines). Decoding is strict: bytes that are not valid in the
 * file's charset fail the read instead of turning into replacement characters. A byte-order mark is
 * dropped.
 */
public final class LineTrackingReader extends Reader {

    /**
     * A record's first physical line, its text without the line terminator, and the terminator as written
     * ({@code \r\n}, {@code \n} or {@code \r}; empty for a last line without one).
     */
    public record Span(long line, String raw, String ending) {
    }

    /**
     * A record longer than the limit: reading stops there, before the record is whole in memory. Its
     * message is the reason the file is quarantined with.
     */
    static final class RecordTooLongException extends IOException {
        RecordTooLongException(String message) {
            super(message);
        }
    }

    /** The window holds the record being parsed and what the parser read ahead of it (its buffer). */
    private static final int PARSER_READ_AHEAD = 64 * 1024;

    private final Reader in;
    private final int maxRecordChars;
    private final char quote;
    private final StringBuilder window = new StringBuilder();
    /** Where the window's live text begins: what lies before was taken, and is dropped now and then in one go. */
    private int head;
    private long windowStart;
    private long windowLine = 1;
    private boolean started;

    LineTrackingReader(Reader in, int maxRecordChars) {
        this(in, maxRecordChars, '"');
    }

    LineTrackingReader(Reader in, int maxRecordChars, char quote) {
        this.in = in;
        this.maxRecordChars = maxRecordChars;
        this.quote = quote;
    }

    /** Opens the file in the dialect's charset, its lines before the header already passed over. */
    public static LineTrackingReader open(Path file, Dialect dialect, int maxRecordChars, BoundedContent.Limits limits)
            throws IOException {
        CharsetDecoder decoder = dialect.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Reader in = new InputStreamReader(InputNames.open(file, limits), decoder);
        // '\0' never opens a quote: a dialect without quoting takes every character as it is.
        LineTrackingReader reader = new LineTrackingReader(in, maxRecordChars,
                dialect.quote() == null ? '\0' : dialect.quote());
        reader.skipLines(dialect.skipLines());
        return reader;
    }

    /** Passes over lines before the header; the header is then line {@code lines + 1}. */
    private void skipLines(int lines) throws IOException {
        for (int skipped = 0; skipped < lines; skipped++) {
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                // the line's characters
            }
            if (c == -1) {
                return;
            }
            windowLine++;
            started = true;
        }
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0 && !started) {
            started = true;
            if (buffer[offset] == '\uFEFF') {
                System.arraycopy(buffer, offset + 1, buffer, offset, n - 1);
                n--;
                if (n == 0) {
                    return read(buffer, offset, length);
                }
            }
        }
        if (n > 0) {
            window.append(buffer, offset, n);
            if (window.length() - head > (long) maxRecordChars + PARSER_READ_AHEAD) {
                throw new RecordTooLongException(String.format(java.util.Locale.ROOT,
                        "the record starting on line %d is longer than pipeline.limits.max-record-chars (%,d characters)",
                        lastLineStarted(), maxRecordChars));
            }
        }
        return n;
    }

    /** The physical line the window's last line starts on: where the record too long for it began. */
    private long lastLineStarted() {
        long line = windowLine;
        for (int i = head; i < window.length(); i++) {
            char c = window.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= window.length() || window.charAt(i + 1) != '\n'))) {
                line++;
            }
        }
        return line;
    }

    /**
     * The record that starts at character {@code position} (as commons-csv counts it). Records must
     * be taken in order: the text before {@code position} is let go.
     */
    public Span take(long position) {
        letGo((int) Math.min(position - windowStart, window.length() - head));
        boolean quoted = false;
        int end = head;
        while (end < window.length()) {
            char c = window.charAt(end);
            if (c == quote) {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            }
            end++;
        }
        Span span = new Span(windowLine, window.substring(head, end), endingAt(end));
        // The record is taken: only what the parser read past it stays, so the limit counts the next record alone.
        letGo(end - head);
        return span;
    }

    /**
     * The line terminator at {@code end}: the parser has read it with its record (and looked past a
     * {@code \r} for a {@code \n}), so it is in the window unless the file ends there.
     */
    private String endingAt(int end) {
        if (end >= window.length()) {
            return "";
        }
        if (window.charAt(end) == '\n') {
            return "\n";
        }
        return end + 1 < window.length() && window.charAt(end + 1) == '\n' ? "\r\n" : "\r";
    }

    /** Lets go of the window's first {@code chars} characters, counting the lines they end. */
    private void letGo(int chars) {
        int end = head + chars;
        for (int i = head; i < end; i++) {
            char c = window.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= window.length() || window.charAt(i + 1) != '\n'))) {
                windowLine++;
            }
        }
        head = end;
        windowStart += chars;
        if (head >= PARSER_READ_AHEAD) {
            window.delete(0, head);
            head = 0;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
