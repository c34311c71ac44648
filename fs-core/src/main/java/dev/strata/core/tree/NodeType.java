package dev.strata.core.tree;

/** The kind of a tree node (docs/format.md §10.2). Codes are persisted: never renumber. */
public enum NodeType {
    FILE(1),
    DIRECTORY(2),
    SYMLINK(3),
    FIFO(4),
    SOCKET(5),
    CHAR_DEVICE(6),
    BLOCK_DEVICE(7);

    private final int code;

    NodeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static NodeType fromCode(int code) {
        for (NodeType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown node type " + code);
    }
}
