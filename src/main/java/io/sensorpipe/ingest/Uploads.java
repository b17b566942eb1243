package io.sensorpipe.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.runtime.StartupEvent;
import io.sensorpipe.Json;
import io.sensorpipe.PipelineConfig;
import io.sensorpipe.intake.BoundedContent;
import io.sensorpipe.intake.ContentHash;
import io.sensorpipe.intake.HeaderInspector;
import io.sensorpipe.intake.IngestLedger;
import io.sensorpipe.intake.InputNames;
import io.sensorpipe.intake.UnreadableFileException;

/**
 * The steps of the {@code http-ingest} route: an upload whose body is spooled in {@code data/.uploads/}
 * is unpacked if it was sent gzip-encoded under a plain name, identified by its content (as a dropped
 * file is), checked against the sources, and recorded: in one transaction its Idempotency-Key, its
 * {@code ingest_file} row and its move into the data folder under its name. From there it is a file like
 * any other, read by {@code csv-intake} under that id, on this instance or any other.
 */
@ApplicationScoped
@Named("uploads")
public class Uploads {

    private static final Logger LOG = Logger.getLogger(Uploads.class);

    private final Path dataDir;
    private final Path spoolDir;
    private final BoundedContent.Limits limits;
    private final ContentHash contentHash;
    private final HeaderInspector headers;
    private final IngestLedger ledger;
    private final UploadKeys keys;
    private final DataSource dataSource;

    public Uploads(PipelineConfig config, ContentHash contentHash, HeaderInspector headers, IngestLedger ledger,
            UploadKeys keys, DataSource dataSource) {
        this.dataDir = Path.of(config.dataDir()).toAbsolutePath();
        this.spoolDir = dataDir.resolve(".uploads");
        this.limits = BoundedContent.Limits.of(config);
        this.contentHash = contentHash;
        this.headers = headers;
        this.ledger = ledger;
        this.keys = keys;
        this.dataSource = dataSource;
    }

    /**
     * Spool files left by an instance that stopped before it answered (their uploads were never
     * acknowledged, so their clients send them again) are deleted once an hour old: an instance sharing
     * the folder may still be writing a younger one.
     */
    void sweep(@Observes StartupEvent start) {
        if (!Files.isDirectory(spoolDir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        long hourAgo = System.currentTimeMillis() - 3_600_000;
        try (var entries = Files.newDirectoryStream(spoolDir)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toMillis() < hourAgo) {
                    Files.deleteIfExists(entry);
                }
            }
        } catch (IOException e) {
            LOG.warnf("the upload spool %s could not be swept: %s", spoolDir, e.getMessage());
        }
    }

    /**
     * A new spool file for a body, created new (never through a link) in {@code data/.uploads/}, on the
     * data folder's file system so that the hand-over is a rename. Named {@code .csv.gz} when the body is gzip.
     */
    public Path newSpool(boolean gzip) throws IOException {
        requireRealFolder(dataDir);
        Files.createDirectories(spoolDir);
        requireRealFolder(spoolDir);
        return spoolDir.resolve(UUID.randomUUID() + (gzip ? ".csv.gz" : ".csv"));
    }

    /**
     * {@code unpack-upload}: a body sent with {@code Content-Encoding: gzip} under a name that does not end
     * in {@code .gz} is stored unpacked, within the bounds a {@code .gz} file is read with; a body that is
     * not gzip, or past a bound, is answered 400.
     */
    public void unpack(Upload upload) throws IOException {
        if (!InputNames.isGzip(upload.spool().getFileName().toString()) || InputNames.isGzip(upload.name())) {
            return;
        }
        Path packed = upload.spool();
        if (upload.idempotencyKey() != null) {
            upload.bodySha256(sha256(packed));
        }
        Path unpacked = packed.resolveSibling(packed.getFileName().toString().replace(".csv.gz", ".csv"));
        try (InputStream in = InputNames.open(packed, limits);
                OutputStream out = Files.newOutputStream(unpacked, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            upload.spool(unpacked, in.transferTo(out));
        } catch (UnreadableFileException | IOException e) {
            Files.deleteIfExists(unpacked);
            upload.answerWith(UploadGate.refusal(400, "the body was sent as Content-Encoding: gzip but cannot be unpacked: "
                    + e.getMessage()));
        } finally {
            Files.deleteIfExists(packed);
        }
    }

    /** {@code identify-upload}: the content's identity, as a file in the data folder gets it. */
    public void identify(Upload upload) throws IOException {
        upload.identity(contentHash.of(upload.spool()));
        if (upload.bodySha256() == null) {
            upload.bodySha256(upload.identity().sha256());
        }
    }

    /** {@code inspect-upload}: the source the content's header matches, as csv-intake's inspect-header finds it. */
    public void inspect(Upload upload) throws IOException {
        try {
            headers.layoutOf(upload.name(), HeaderInspector.readHead(upload.spool()));
        } catch (UnreadableFileException e) {
            upload.unrecognised(e.getMessage());
        }
    }

    /**
     * {@code record-upload}: in one transaction, the Idempotency-Key (an earlier upload with it gets its
     * answer again, or 422 for another body), the arrival in {@code ingest_file}, and for a content new
     * to the pipeline the move into the data folder: answered 202 (400 when no source takes it: it is
     * quarantined whole like a file), or 200 with {@code duplicate_of}. A file of the same name already in
     * the data folder is answered 409 and nothing is kept.
     */
    public void record(Upload upload) throws SQLException, IOException {
        for (int attempt = 1;; attempt++) {
            try {
                tryRecord(upload);
                return;
            } catch (SQLException e) {
                // The same content (or key) recorded meanwhile by another upload: the next attempt finds it.
                if (!"23505".equals(e.getSQLState()) || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private void tryRecord(Upload upload) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (upload.idempotencyKey() != null) {
                    UploadKeys.Earlier earlier = keys.claim(c, upload.client(), upload.idempotencyKey(), upload.bodySha256());
                    if (earlier != null) {
                        c.rollback();
                        upload.answerWith(earlier.bodySha256().equals(upload.bodySha256())
                                ? new Upload.Answer(earlier.status(), parse(earlier.body()))
                                : UploadGate.refusal(422, "this Idempotency-Key was used with another body"));
                        return;
                    }
                }
                IngestLedger.Arrival arrival = ledger.recordUpload(c, upload.name(), upload.identity(), upload.bytes(),
                        () -> handOver(upload));
                Upload.Answer answer = answerTo(upload, arrival);
                if (upload.idempotencyKey() != null) {
                    keys.answered(c, upload.client(), upload.idempotencyKey(), answer.status(),
                            Json.MAPPER.writeValueAsString(answer.body()));
                }
                c.commit();
                upload.answerWith(answer);
                LOG.infof("upload %s: %d, ingest_file %s", upload.name(), answer.status(), answer.body().get("id"));
            } catch (FileAlreadyExistsException e) {
                c.rollback();
                upload.answerWith(new Upload.Answer(409, Map.of("error", "a file named " + upload.name()
                        + " is in the data folder (being ingested): retry later, or send it under another name")));
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static Upload.Answer answerTo(Upload upload, IngestLedger.Arrival arrival) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", arrival.fileId());
        body.put("file_name", upload.name());
        if (arrival.verdict() == IngestLedger.Verdict.DUPLICATE) {
            body.put("status", "DUPLICATE");
            body.put("duplicate_of", arrival.originalId());
            body.put("status_url", "/status/" + arrival.originalId());
            return new Upload.Answer(200, body);
        }
        body.put("status", "PROCESSING");
        body.put("status_url", "/status/" + arrival.fileId());
        if (upload.unrecognised() != null) {
            body.put("error", upload.unrecognised());
            return new Upload.Answer(400, body);
        }
        return new Upload.Answer(202, body);
    }

    /**
     * Puts the spooled body in the data folder under the upload's name, replacing nothing: written to disk
     * first, the rename then made durable too, so that an answered upload survives a crash.
     */
    private void handOver(Upload upload) throws IOException {
        try (FileChannel body = FileChannel.open(upload.spool(), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            body.force(true);
        }
        requireRealFolder(dataDir);
        Files.move(upload.spool(), dataDir.resolve(upload.name()), LinkOption.NOFOLLOW_LINKS);
        try (FileChannel folder = FileChannel.open(dataDir, StandardOpenOption.READ)) {
            folder.force(true);
        }
    }

    private static void requireRealFolder(Path folder) throws IOException {
        if (Files.isSymbolicLink(folder)) {
            throw new IOException(folder + " is a symbolic link: uploads are written only into real folders");
        }
    }

    private static Map<String, Object> parse(String json) throws JsonProcessingException {
        return Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
