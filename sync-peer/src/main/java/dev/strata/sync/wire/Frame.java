package dev.strata.sync.wire;

/**
 * One message on the wire: a type code and its payload. On the wire: a 4-byte big-endian length
 * (of what follows, at least 1), the type byte, the payload. Immutable; the payload is not copied.
 */
public record Frame(MessageType type, byte[] payload) {
    /** Bytes before the payload: the length and the type. */
    public static final int HEADER = 5;

    /** The request number a request or an answer carries: the first four bytes of its payload. */
    public int request() throws FrameException {
        return new Payload(this).u32("request", 0xFFFFFFFFL);
    }
}
