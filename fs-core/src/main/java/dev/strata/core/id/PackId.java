package dev.strata.core.id;

import java.security.SecureRandom;

/** The id of a pack file: 32 random bytes chosen when the pack is started. Immutable, thread-safe. */
public final class PackId extends Id32 {
    private static final SecureRandom RANDOM = new SecureRandom();

    private PackId(byte[] bytes) {
        super(bytes);
    }

    public static PackId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new PackId(b);
    }

    public static PackId of(byte[] bytes) {
        return new PackId(bytes);
    }

    public static PackId of(byte[] bytes, int offset) {
        byte[] copy = new byte[LENGTH];
        System.arraycopy(bytes, offset, copy, 0, LENGTH);
        return new PackId(copy);
    }

    public static PackId parse(String hex) {
        return new PackId(parseHex(hex, "pack id"));
    }
}
