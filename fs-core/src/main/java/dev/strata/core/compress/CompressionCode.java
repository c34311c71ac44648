package dev.strata.core.compress;

/** How a pack entry's payload is encoded (docs/format.md §5.1). Codes are persisted: never renumber. */
public enum CompressionCode {
    NONE(0x00),
    ZSTD(0x01);

    private final int code;

    CompressionCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The code's meaning; throws IllegalArgumentException for a code this version does not know. */
    public static CompressionCode fromCode(int code) {
        for (CompressionCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression code 0x" + Integer.toHexString(code));
    }
}
