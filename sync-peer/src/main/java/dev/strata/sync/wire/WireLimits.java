package dev.strata.sync.wire;

/** How large a frame may be, by the phase of the connection. Constants. */
public final class WireLimits {
    /** Until both hellos are through: a hello is well under 1 KiB. */
    public static final int BEFORE_HELLO = 4096;
    /** After the hello: the largest chunk with its header. */
    public static final int AFTER_HELLO = ChunkMessages.MAX_CHUNK + 64;
    /**
     * The protocol versions this build speaks: 2 adds fetching a chunk ({@link FetchMessages}), 3 sends
     * chunks as they are stored ({@link ChunkMessages.PackedChunk}).
     */
    public static final int MIN_VERSION = 1;
    public static final int MAX_VERSION = 3;

    private WireLimits() {
    }
}
