package dev.strata.image.view;

import dev.strata.snapshot.view.ViewContext;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Lists the folders of a browsed filesystem ahead of the person browsing it, on the mount's read-ahead
 * thread, from when its image's folder ({@code images/<name>/<time>/}) is first looked into: depth
 * first, in listing order, as {@code find}, {@code tar} and file managers walk. Each folder's listing
 * is kept in its {@link BrowsedNode}, so the requests that come after find it made: a walk over a
 * fresh mount otherwise reads the folder and inode blocks one request at a time, each waiting for a
 * core. At most
 * {@link #MAX_ENTRIES} names per filesystem are listed ahead, which bounds the memory the walk holds
 * when nobody asks for the rest; a folder the walk cannot read is left to the request that asks for it
 * (which gets the error and reports it). Thread-safe.
 */
final class MetadataReadAhead {
    /** About 350 bytes each in the heap once listed (node, name, attributes, listing entry): some 7 MB. */
    static final int MAX_ENTRIES = 20_000;

    private MetadataReadAhead() {
    }

    /** Queues the walk of the filesystem below {@code root} on the mount's read-ahead thread. */
    static void start(ViewContext ctx, BrowsedNode root) {
        ctx.inBackground(() -> walk(root, MAX_ENTRIES));
    }

    /** Lists the folders below {@code root}, depth first, until about {@code maxEntries} names are listed. */
    static void walk(BrowsedNode root, int maxEntries) {
        Deque<BrowsedNode> pending = new ArrayDeque<>();
        pending.push(root);
        int names = 0;
        while (!pending.isEmpty() && names < maxEntries && !Thread.currentThread().isInterrupted()) {
            BrowsedNode folder = pending.pop();
            try {
                names += folder.list().size();
                List<BrowsedNode> subfolders = folder.subfolders();
                for (int i = subfolders.size() - 1; i >= 0; i--) {
                    pending.push(subfolders.get(i));
                }
            } catch (IOException | RuntimeException e) {
                // Damage or a closed view: a request for this folder meets the same and reports it.
            }
        }
    }
}
