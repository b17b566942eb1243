package io.sensorpipe.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Names of an input file's reports in the quarantine folder: {@code X.csv.errors.jsonl},
 * {@code X.csv.rejected.csv}, {@code X.csv.summary.json}, {@code X.csv.error.json}. A file name may
 * use all 255 bytes a file system allows, which leaves no room for a suffix: such a name is shortened,
 * on a character boundary, and a hash of the whole name is added ({@code <start>~<12 hex digits>}),
 * so that every report can be written and two long names never share one. The reports themselves
 * carry the full name.
 */
public final class ReportNames {

    public static final String ERRORS = ".errors.jsonl";
    public static final String REJECTED = ".rejected.csv";
    public static final String SUMMARY = ".summary.json";
    public static final String ERROR = ".error.json";

    /** The longest name a file system takes, in bytes (ext4, xfs, btrfs, tmpfs). */
    static final int MAX_NAME_BYTES = 255;
    /** The longest suffix written, with room to spare (reports are rewritten under names of their own). */
    static final int LONGEST_SUFFIX_BYTES = ERRORS.length() + ".partial".length();

    private ReportNames() {
    }

    /** {@code fileName} + {@code suffix}, with the file name shortened when the whole would not fit. */
    public static String of(String fileName, String suffix) {
        return base(fileName) + suffix;
    }

    /**
     * The reports of {@code fileName} that are in {@code folder} as regular files (a link is not one), by
     * name: its rejected rows' reasons, the rows, its summary, its error, in that order.
     */
    public static List<String> presentIn(Path folder, String fileName) {
        List<String> present = new ArrayList<>();
        for (String suffix : List.of(ERRORS, REJECTED, SUMMARY, ERROR)) {
            Path report = folder.resolve(of(fileName, suffix));
            if (Files.isRegularFile(report, LinkOption.NOFOLLOW_LINKS)) {
                present.add(report.getFileName().toString());
            }
        }
        return present;
    }

    /** The stem the report names start with: the file name, or its shortened form. */
    public static String base(String fileName) {
        int budget = MAX_NAME_BYTES - LONGEST_SUFFIX_BYTES;
        if (utf8Length(fileName) <= budget) {
            return fileName;
        }
        String hash = "~" + HexFormat.of().formatHex(sha256(fileName), 0, 6);
        StringBuilder start = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < fileName.length();) {
            int c = fileName.codePointAt(i);
            int length = utf8Length(new String(Character.toChars(c)));
            if (bytes + length > budget - hash.length()) {
                break;
            }
            start.appendCodePoint(c);
            bytes += length;
            i += Character.charCount(c);
        }
        return start + hash;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
