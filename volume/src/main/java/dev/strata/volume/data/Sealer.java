package dev.strata.volume.data;

import dev.strata.core.store.ChunkRef;
import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.Timestamp;
import dev.strata.volume.fault.CrashPoints;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.Staging;
import dev.strata.volume.state.VersionRecord;

import java.io.IOException;
import java.util.List;

/**
 * Turns the unsealed changes of an open file into a version: new content from the rechunker, then
 * in one state transaction the inode's new content, the version in the history and the seal kept
 * until the chunks are durable. Thread-safe (the caller holds the file's write lock).
 */
final class Sealer {
    private final DataContext ctx;
    private final Rechunker rechunker;
    private final Flusher flusher;

    Sealer(DataContext ctx, Flusher flusher) {
        this.ctx = ctx;
        this.rechunker = new Rechunker(ctx.store());
        this.flusher = flusher;
    }

    /** Seals {@code oi} if it changed; the caller holds its write lock. Returns the version, or null. */
    VersionRecord seal(OpenInode oi) throws IOException {
        if (!oi.dirty()) {
            return null;
        }
        Inode record = ctx.state().inode(oi.ino);
        if (record.nlink() == 0) {
            return null; // removed while open: nothing to keep; the orphan goes when it closes
        }
        Staging staging = oi.staging();
        List<ChunkRef> refs = rechunker.rechunk(oi.base(), oi.baseValid(), oi.extents(), oi.size(), oi.image());
        FileContent content = ctx.trees().storeContent(refs);
        Timestamp modified = oi.mtime();
        if (content.equals(staging.base()) && refs.equals(oi.base().refs())) {
            // Written with the bytes it had: no new version, but the times moved.
            ctx.state().update(oi.ino, r -> r.sealed(content, modified));
            long overlay = oi.overlay();
            oi.sealedAs(content);
            if (overlay != 0) {
                ctx.overlays().delete(overlay);
            }
            return null;
        }
        CrashPoints.reached(CrashPoints.SEAL_STORED);
        VersionRecord version = ctx.state().recordSeal(oi.ino, content, modified, ctx.now(), staging, oi.size(),
                oi.inlineBytes());
        CrashPoints.reached(CrashPoints.SEAL_RECORDED);
        oi.sealedAs(content);
        flusher.sealed();
        return version;
    }
}
