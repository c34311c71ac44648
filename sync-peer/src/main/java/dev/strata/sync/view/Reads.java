package dev.strata.sync.view;

import dev.strata.core.id.ChunkId;
import dev.strata.sync.chunks.ChunkFetching;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.PeerRequests;
import dev.strata.sync.volumes.SharedVolume;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where the files of {@code peers/} read a chunk: this device's copy when it holds one (the usual case:
 * a peer's records arrive after their chunks), else the peer itself over its connection, checked
 * against the chunk's id; with the peer not connected, the read fails and says so once in the log.
 * Thread-safe.
 */
final class Reads {
    private final Supplier<PeerSource> source;
    private final Duration timeout;
    private final Consumer<String> log;
    private volatile String lastProblem;

    Reads(Supplier<PeerSource> source, Duration timeout, Consumer<String> log) {
        this.source = source;
        this.timeout = timeout;
        this.log = log;
    }

    /** The plaintext of chunk {@code id} of {@code v}'s space, from here or from {@code peer}. */
    byte[] chunk(SharedVolume v, DeviceId peer, ChunkId id, String file) throws IOException {
        if (v.space().sink().lacking(List.of(id)).isEmpty()) {
            return v.space().source().read(id);
        }
        PeerRequests peers = source.get().requests();
        if (!peers.isConnected(peer)) {
            throw problem(file + ": chunk " + id.shortString() + " is not held on this device, and device "
                    + peer.shortString() + " is not connected to read it from");
        }
        try {
            return peers.ask(peer, c -> ChunkFetching.fetch(c, v.space(), id, timeout));
        } catch (IOException e) {
            throw problem(file + ": reading chunk " + id.shortString() + " from device " + peer.shortString() + " failed: "
                    + e.getMessage());
        }
    }

    /** Logs {@code message} unless it was the last one logged (a reader retries page by page). */
    private IOException problem(String message) {
        if (!message.equals(lastProblem)) {
            lastProblem = message;
            log.accept(message);
        }
        return new IOException(message);
    }
}
