package dev.strata.image.view;

import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.FaultInjectingBackend;
import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.tree.Node;
import dev.strata.image.ImageDescription;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.view.ViewContext;

/** Counting what a browsed image's reads cost the backend, once the read-ahead has landed. */
final class SettledReads {
    private SettledReads() {
    }

    /** The backend's read count once no read has come for 300 ms (10 s at most): read-ahead runs on its own threads. */
    static long of(FaultInjectingBackend backend) throws InterruptedException {
        long seen = backend.calls(Operation.READ);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.sleep(300);
            long now = backend.calls(Operation.READ);
            if (now == seen) {
                return now;
            }
            seen = now;
        }
        return seen;
    }

    /** The distinct data chunks of an image snapshot's disk. */
    static long dataChunks(ViewContext ctx, Snapshot snapshot) throws Exception {
        Node disk = ctx.trees.read(snapshot.tree()).find(ImageDescription.DISK_FILE).orElseThrow();
        return ctx.refs(disk.content()).stream().filter(ref -> !ref.isHole()).map(ChunkRef::id).distinct().count();
    }
}
