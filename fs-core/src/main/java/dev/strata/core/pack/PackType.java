package dev.strata.core.pack;

/** What a pack holds: file data or tree objects (docs/format.md §5). Codes are persisted: never renumber. */
public enum PackType {
    DATA(0x01),
    TREE(0x02);

    private final int code;

    PackType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static PackType fromCode(int code) {
        for (PackType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown pack type 0x" + Integer.toHexString(code));
    }
}
