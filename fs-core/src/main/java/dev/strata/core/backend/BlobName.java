package dev.strata.core.backend;

import dev.strata.core.id.Hex;

/**
 * The name of one blob in a backend. Validated on construction: the config is called {@code config},
 * every other name is lowercase hex of the length its type requires.
 */
public record BlobName(BlobType type, String name) {
    public static final BlobName CONFIG = new BlobName(BlobType.CONFIG, "config");

    public BlobName {
        if (type == BlobType.CONFIG) {
            if (!"config".equals(name)) {
                throw new IllegalArgumentException("the config blob is called 'config', not '" + name + "'");
            }
        } else if (!Hex.isHex(name, type.hexNameLength()) || !name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("not a valid " + type + " name: '" + name + "'");
        }
    }

    public static BlobName of(BlobType type, String name) {
        return new BlobName(type, name);
    }

    /** The path of the blob relative to the repository root, with '/' separators. */
    public String path() {
        switch (type) {
            case CONFIG:
                return name;
            case PACK:
                return type.folder() + "/" + name.substring(0, 2) + "/" + name;
            default:
                return type.folder() + "/" + name;
        }
    }

    @Override
    public String toString() {
        return path();
    }
}
