package dev.strata.volume.data;

import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.FileContent;
import dev.strata.volume.state.Extent;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.SealRecord;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.HashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Brings a volume back to a consistent state after the mount process died: drops files removed
 * while open, redoes seals whose chunks had not reached a durable pack (same inputs, same content),
 * seals files whose changes were fsynced but not yet sealed, and deletes overlays nothing needs.
 * Confined to the thread opening the volume.
 */
final class Recovery {
    private final DataContext ctx;
    private final Sealer sealer;
    private final Flusher flusher;
    private final Consumer<String> log;

    Recovery(DataContext ctx, Sealer sealer, Flusher flusher, Consumer<String> log) {
        this.ctx = ctx;
        this.sealer = sealer;
        this.flusher = flusher;
        this.log = log;
    }

    void run() throws IOException {
        List<Inode> orphans = ctx.state().dropAllOrphans();
        List<SealRecord> seals = ctx.state().seals();
        Rechunker rechunker = new Rechunker(ctx.store());
        for (SealRecord s : seals) {
            redo(rechunker, s);
        }
        flusher.flushNow();
        for (Inode staged : ctx.state().stagedInodes()) {
            OpenInode oi = new OpenInode(ctx, staged);
            oi.lock.writeLock().lock();
            try {
                sealer.seal(oi);
                oi.closeChannel();
            } finally {
                oi.lock.writeLock().unlock();
            }
        }
        flusher.flushNow();
        int removed = ctx.overlays().deleteAllBut(new HashSet<>());
        ctx.state().commit();
        if (!orphans.isEmpty() || !seals.isEmpty() || removed > 0) {
            log.accept("recovered after an unclean stop: " + seals.size() + " versions made durable again, "
                    + orphans.size() + " removed files dropped, " + removed + " staging files cleaned");
        }
    }

    private void redo(Rechunker rechunker, SealRecord s) throws IOException {
        BaseReader base = ctx.baseReader(s.base());
        TreeMap<Long, Long> extents = new TreeMap<>();
        for (Extent e : s.extents()) {
            extents.put(e.start(), e.end());
        }
        byte[] inline = s.inline();
        try (FileChannel overlay = s.overlay() == 0 ? null : ctx.overlays().openForReading(s.overlay())) {
            if (overlay == null && inline == null && !extents.isEmpty()) {
                log.accept("the staging file of a version of inode " + s.ino() + " is gone; that version cannot be read");
                return;
            }
            FileImage image = new FileImage(base, s.baseValid(), extents, s.size(),
                    inline != null ? FileImage.Overlay.of(inline) : overlay == null ? null : FileImage.Overlay.of(overlay));
            List<ChunkRef> refs = rechunker.rechunk(base, s.baseValid(), extents, s.size(), image);
            FileContent content = ctx.trees().storeContent(refs);
            if (!content.equals(s.sealed())) {
                // Only a power cut between a close and its flush does this: the overlay lost unsynced bytes.
                log.accept("a version of inode " + s.ino() + " saved just before the stop was not fully on disk;"
                        + " kept as far as it was");
                ctx.state().replaceSealed(s, content);
            }
        }
    }
}
