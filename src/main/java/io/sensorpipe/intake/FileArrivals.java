package io.sensorpipe.intake;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.jboss.logging.Logger;

import io.sensorpipe.intake.IngestLedger.Arrival;
import io.sensorpipe.records.ExchangeProperties;
import io.sensorpipe.records.FileEvent;
import io.sensorpipe.support.Folders;
import io.sensorpipe.support.SafeFiles;

/** What becomes of a file the consumer picked up (csv-intake's {@code register-file}): read, or moved out unread. */
@ApplicationScoped
@Named("fileArrivals")
public class FileArrivals {

    private static final Logger LOG = Logger.getLogger(FileArrivals.class);

    private final IngestLedger ledger;
    private final InputFiles inputFiles;
    private final ReadsInProgress reads;
    private final ContentHash contentHash;
    private final Folders folders;

    public FileArrivals(IngestLedger ledger, InputFiles inputFiles, ReadsInProgress reads, ContentHash contentHash,
            Folders folders) {
        this.folders = folders;
        this.ledger = ledger;
        this.inputFiles = inputFiles;
        this.reads = reads;
        this.contentHash = contentHash;
    }

    /**
     * Identifies the file by its content (SHA-256 after decompression) and decides what becomes of it ({@link IngestLedger.Verdict}):
     * a content already loaded, or being loaded from another file still in the data folder, is
     * recorded as a {@code DUPLICATE} of it, to be moved to {@code data/.done/} unread (the route's
     * {@code move-unread-to-done}). Otherwise the file
     * is recorded as {@code PROCESSING} and read; a file read again after a failed attempt or a crash
     * keeps its id, so its rows keep their identity.
     */
    public void register(Exchange exchange) throws IOException, SQLException {
        File file = exchange.getIn().getBody(File.class);
        String name = file.getName();
        BasicFileAttributes attributes = Files.readAttributes(file.toPath(), BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (SafeFiles.oddity(file.toPath(), attributes) != null) {
            // Swapped for a link or given a second name since the consumer's filter passed it: never opened;
            // the claim goes, and data-folder-screen records and moves it.
            exchange.setProperty(ExchangeProperties.INTAKE_VERDICT, IngestLedger.Verdict.SCREENED.name());
            inputFiles.remove(name);
            return;
        }
        inputFiles.track(file.toPath(), attributes);
        ContentHash.Identity identity = contentHash.of(file.toPath());
        String sha256 = identity.sha256();
        long size = attributes.size();
        Arrival arrival = ledger.recordArrival(name, identity, size);
        exchange.setProperty(ExchangeProperties.INTAKE_VERDICT, arrival.verdict().name());
        exchange.setProperty(ExchangeProperties.ARRIVAL, arrival);
        String path = file.toPath().toAbsolutePath().toString();
        switch (arrival.verdict()) {
            case DUPLICATE -> {
                exchange.setProperty(ExchangeProperties.FILE_EVENT, FileEvent.duplicate(arrival.fileId(), path, name, sha256,
                        arrival.originalId()));
                LOG.warnf("%s is a DUPLICATE: its content (content_sha256 %s) is already loaded or being loaded; recorded as"
                        + " ingest_file %d and moved to %s without reading it", name, identity.contentSha256(), arrival.fileId(),
                        folders.done());
            }
            case FINISHED_EARLIER -> {
                LOG.infof("%s was LOADED as ingest_file %d (before the pipeline stopped, or by another instance): moving"
                        + " it to %s if it is still here", name, arrival.fileId(), folders.done());
            }
            case READ -> {
                // Every opening is logged, also one whose read later fails or is dropped: "read:" ends only a counted read.
                LOG.infof("%s opened for reading as ingest_file %d (read %d)", name, arrival.fileId(),
                        arrival.failedReads() + 1);
                exchange.setProperty(ExchangeProperties.FILE_EVENT, FileEvent.detected(arrival.fileId(), path, name, sha256));
                FileIntake intake = new FileIntake(arrival.fileId(), name, file.toPath(), sha256, size, attributes);
                intake.failedReads(arrival.failedReads());
                exchange.setProperty(ExchangeProperties.FILE_INTAKE, intake);
                reads.started(intake);
                // A read that fails half-way must not leave its quarantine files open.
                exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                    @Override
                    public void onDone(Exchange done) {
                        reads.ended(intake);
                        try {
                            intake.closeRowReports();
                        } catch (IOException e) {
                            LOG.debugf("closing the quarantine files of %s after its read: %s", name, e);
                        }
                    }
                });
            }
        }
    }
}
