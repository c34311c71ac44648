package dev.strata.core.tree;

import dev.strata.core.name.NameBytes;

import java.util.Comparator;

/**
 * The rules for names in trees: one safe path component, any bytes but '/' and NUL (held as strings
 * through {@link NameBytes}), ordered by those bytes. Stateless.
 */
public final class Names {
    /** Tree order: unsigned comparison of the names' bytes (for UTF-8 names also code-point order). */
    public static final Comparator<String> ORDER = NameBytes::compare;

    private Names() {
    }

    /**
     * Whether {@code name} is one path component that cannot escape a folder, and the string of a
     * byte string ({@link NameBytes#isCanonical}).
     */
    public static boolean isSafe(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\0') < 0
                && NameBytes.isCanonical(name);
    }
}
