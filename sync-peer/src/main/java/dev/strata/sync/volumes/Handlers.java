package dev.strata.sync.volumes;

import dev.strata.sync.chunks.ChunkFetching;
import dev.strata.sync.chunks.ChunkReceiver;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.RequestHandler;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.wire.Frame;
import dev.strata.sync.wire.FrameException;

import java.io.IOException;

/** What serves a connection: chunk messages to the chunk exchange, volume messages to the volumes. Stateless. */
public final class Handlers {
    private Handlers() {
    }

    /** The handler of connection {@code c}; {@code volumes} may be null (a device serving chunks only). */
    public static RequestHandler of(PeerConnection c, ChunkSpaces spaces, VolumeService volumes, SyncLog log) {
        ChunkReceiver chunks = new ChunkReceiver(spaces, log);
        RequestHandler forVolumes = volumes == null ? null : volumes.handler(c);
        return new RequestHandler() {
            @Override
            public void handle(PeerConnection connection, Frame f) throws IOException {
                switch (f.type()) {
                    case RECORDS_WANTED, RECORDS, KEYS_REQUEST -> {
                        if (forVolumes == null) {
                            throw new FrameException("a " + f.type() + " message: this device serves no volumes");
                        }
                        forVolumes.handle(connection, f);
                    }
                    case CHUNK_FETCH -> ChunkFetching.serve(connection, f, spaces, log);
                    default -> chunks.handle(connection, f);
                }
            }

            @Override
            public void closed(PeerConnection connection) {
                chunks.closed(connection);
                if (forVolumes != null) {
                    forVolumes.closed(connection);
                }
            }
        };
    }
}
