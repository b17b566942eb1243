package io.sensorpipe.intake;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.sensorpipe.records.QualitySummary;
import io.sensorpipe.records.Reason;
import io.sensorpipe.sources.Source;

/**
 * What the pipeline knows about one file while {@code csv-intake} reads it. Carried as an exchange
 * property, shared by reference with the split's sub-exchanges; the split is sequential, so the
 * counters are only touched by one thread at a time.
 */
public final class FileIntake {

    private final long fileId;
    private final String fileName;
    private final Path path;
    private final String sha256;
    private final long sizeBytes;
    private final BasicFileAttributes attributes;
    private final long startNanos = System.nanoTime();
    private final long startedAt = System.currentTimeMillis();
    private long rowsRead;
    private long rowsRejected;
    private long rowsPublished;
    private long blankLines;
    private final ReadingPublisher.Acks acks = new ReadingPublisher.Acks();
    private Closeable rowReports;
    private int failedReads;
    private long firstRejectedLine;
    private long lastRejectedLine;
    private final Map<String, Long> rejectionsByRule = new TreeMap<>();
    private Source source;
    private volatile String unreportable;

    /** @param attributes the file's attributes when it was registered, to notice a change while it is read */
    public FileIntake(long fileId, String fileName, Path path, String sha256, long sizeBytes,
            BasicFileAttributes attributes) {
        this.fileId = fileId;
        this.fileName = fileName;
        this.path = path;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.attributes = attributes;
    }

    /**
     * Whether another file now stands at this file's path: it was replaced (moved over) while being
     * read. The pipeline read the original through its open handle, so only the newcomer needs care.
     */
    public boolean replacedWhileRead() throws IOException {
        if (attributes.fileKey() == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        return !attributes.fileKey().equals(Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey());
    }

    /** Whether the same file was written to while being read: what was read may not be what was hashed. */
    public boolean modifiedWhileRead() throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) || replacedWhileRead()) {
            return false;
        }
        BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return now.size() != attributes.size() || !now.lastModifiedTime().equals(attributes.lastModifiedTime());
    }

    public long fileId() {
        return fileId;
    }

    public String fileName() {
        return fileName;
    }

    public Path path() {
        return path;
    }

    public String sha256() {
        return sha256;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** When the file was registered, in epoch milliseconds. */
    public long startedAt() {
        return startedAt;
    }

    public long rowsRead() {
        return rowsRead;
    }

    public long rowsRejected() {
        return rowsRejected;
    }

    public long rowsPublished() {
        return rowsPublished;
    }

    public long blankLines() {
        return blankLines;
    }

    /** Counts rows read (blank lines not included) and blank lines skipped. */
    /** When the read last took a chunk (or started); {@link Long#MIN_VALUE} once it has ended. */
    private volatile long lastProgressNanos = System.nanoTime();

    /** Seconds since the read last made progress, or -1 when it has ended. */
    public long secondsWithoutProgress() {
        long last = lastProgressNanos;
        return last == Long.MIN_VALUE ? -1 : (System.nanoTime() - last) / 1_000_000_000L;
    }

    /** The file has been read to its end, or its read failed. */
    public void readEnded() {
        lastProgressNanos = Long.MIN_VALUE;
    }

    public void counted(int rows, int blank) {
        if (lastProgressNanos != Long.MIN_VALUE) {
            lastProgressNanos = System.nanoTime();
        }
        rowsRead += rows;
        blankLines += blank;
    }

    /** Counts a rejected row under each rule it broke. */
    public void rowRejected(long line, List<Reason> reasons) {
        rowsRejected++;
        if (firstRejectedLine == 0) {
            firstRejectedLine = line;
        }
        lastRejectedLine = line;
        for (Reason reason : reasons) {
            rejectionsByRule.merge(reason.field() + "/" + reason.rule(), 1L, Long::sum);
        }
    }

    /** Rejections per {@code field/rule}. */
    public Map<String, Long> rejectionsByRule() {
        return rejectionsByRule;
    }

    public long firstRejectedLine() {
        return firstRejectedLine;
    }

    public long lastRejectedLine() {
        return lastRejectedLine;
    }

    /** The broker's answers to this read's records. */
    public ReadingPublisher.Acks acks() {
        return acks;
    }

    public void published(int rows) {
        rowsPublished += rows;
    }

    /** Earlier reads of this file that failed for a reason that is neither its content nor an outage. */
    public int failedReads() {
        return failedReads;
    }

    public void failedReads(int reads) {
        this.failedReads = reads;
    }

    /**
     * Why this read's rejected rows can no longer be reported (their reports reached their bound, or
     * cannot be written where they go), or null: such a file is quarantined whole at its next chunk.
     */
    public String unreportable() {
        return unreportable;
    }

    /** Records why the rejected rows can no longer be reported; null changes nothing. */
    public void unreportable(String why) {
        if (why != null && unreportable == null) {
            unreportable = why;
        }
    }

    /** Fails the read of a file whose rejected rows can no longer be reported. */
    public void requireReportable() {
        if (unreportable != null) {
            throw new UnreadableFileException(unreportable);
        }
    }

    /**
     * The reports of this read's rejected rows, opened by the quarantine at the first one (null until
     * then); the intake only closes them with the read.
     */
    public <T extends Closeable> T rowReports(Class<T> type) {
        return type.cast(rowReports);
    }

    public void rowReports(Closeable reports) {
        this.rowReports = reports;
    }

    /**
     * Closes the reports of this read's rejected rows, if any row was rejected (their writer checks they
     * are still in place: a read whose reports were lost must be read again).
     */
    public void closeRowReports() throws IOException {
        if (rowReports != null) {
            rowReports.close();
        }
    }

    /** The source the file's header matched; its name and version go into every report. */
    public void readAs(Source source) {
        this.source = source;
    }

    /** The source the file is read as; null before its header is known, or when it matched none. */
    public Source source() {
        return source;
    }

    public QualitySummary quality(String ruleSetVersion) {
        return new QualitySummary(fileName, sha256, ruleSetVersion, source == null ? null : source.name(),
                source == null ? null : source.version(), rowsRead, rowsRejected, blankLines,
                firstRejectedLine, lastRejectedLine, Map.copyOf(rejectionsByRule));
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * When another file was moved over this one while it was read, renames the newcomer to
     * {@code <name>.replaced-<id>.csv}, so that the move out of the data folder at the end does not carry it
     * off unread: the next poll reads it as a file of its own.
     */
    public void setAsideIfReplaced() throws IOException {
        if (replacedWhileRead()) {
            String[] name = InputNames.stemAndExtension(fileName);
            Path aside = path.resolveSibling(name[0] + ".replaced-" + fileId + (name[1].isEmpty() ? ".csv" : name[1]));
            Files.move(path, aside);
            org.jboss.logging.Logger.getLogger(FileIntake.class).warnf("%s was replaced while it was read: the original"
                    + " is processed, the newcomer is set aside as %s for the next poll", fileName, aside.getFileName());
        }
    }
}
