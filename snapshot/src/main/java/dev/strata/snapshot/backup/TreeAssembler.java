package dev.strata.snapshot.backup;

import dev.strata.core.tree.Node;
import dev.strata.core.tree.TreeCodec;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A folder's tree assembled while its entries are still being saved: an entry is encoded as soon as it
 * and every entry before it are saved, and then let go, so a folder of many entries holds its encoded
 * bytes (about a hundred bytes an entry) and its unfinished entries, not a node and a future per
 * entry. Entries are added in name order. Thread-safe: added on the walking thread, saved on the pool.
 */
final class TreeAssembler {
    private final ArrayDeque<CompletableFuture<Optional<Node>>> waiting = new ArrayDeque<>();
    private final TreeCodec.Encoder encoder = new TreeCodec.Encoder();
    private final CompletableFuture<byte[]> tree = new CompletableFuture<>();
    private boolean complete;
    private Throwable failure;

    /** The next entry, in name order; empty when it was not saved. */
    void add(CompletableFuture<Optional<Node>> entry) {
        synchronized (this) {
            waiting.add(entry);
        }
        entry.whenComplete((v, e) -> drain());
    }

    /** No more entries: the tree's bytes once every entry is saved, or the first entry's failure. */
    CompletableFuture<byte[]> finish() {
        synchronized (this) {
            complete = true;
        }
        drain();
        return tree;
    }

    private synchronized void drain() {
        while (!waiting.isEmpty() && waiting.peek().isDone()) {
            CompletableFuture<Optional<Node>> head = waiting.poll();
            if (failure != null) {
                continue;
            }
            try {
                head.join().ifPresent(encoder::add);
            } catch (CompletionException | CancellationException e) {
                failure = e.getCause() != null ? e.getCause() : e;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (complete && waiting.isEmpty() && !tree.isDone()) {
            if (failure != null) {
                tree.completeExceptionally(failure);
            } else {
                tree.complete(encoder.finish());
            }
        }
    }
}
