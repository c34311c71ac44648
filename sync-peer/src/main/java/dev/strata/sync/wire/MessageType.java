package dev.strata.sync.wire;

/** The message type codes of protocol version 1. Persisted in every frame: codes are explicit and never reused. */
public enum MessageType {
    HELLO(0x01),
    PING(0x02),
    GOODBYE(0x03),
    HAVE_QUERY(0x10),
    HAVE_ANSWER(0x11),
    CHUNK(0x12),
    CHUNKS_END(0x13),
    CHUNKS_STORED(0x14),
    /** Protocol version 2. */
    CHUNK_FETCH(0x15),
    /** Protocol version 2. */
    CHUNK_DATA(0x16),
    /** Protocol version 3: a chunk as its sender stores it, compressed or not. */
    CHUNK_PACKED(0x17),
    RECORDS_WANTED(0x20),
    RECORDS(0x21),
    KEYS_REQUEST(0x22),
    KEYS(0x23),
    REQUEST_FAILED(0x1F);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether this type answers a request (routed to the request's asker) rather than asking or telling. */
    public boolean isAnswer() {
        return this == HAVE_ANSWER || this == CHUNKS_STORED || this == REQUEST_FAILED || this == KEYS
                || this == CHUNK_DATA;
    }

    static MessageType of(int code) throws FrameException {
        for (MessageType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new FrameException(String.format("unknown message type 0x%02x", code));
    }
}
