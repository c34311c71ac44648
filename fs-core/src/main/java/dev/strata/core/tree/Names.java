package dev.strata.core.tree;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** The rules for names in trees: one safe path component, ordered by UTF-8 bytes. Stateless. */
public final class Names {
    /** Tree order: unsigned comparison of UTF-8 bytes (which is also code-point order). */
    public static final Comparator<String> ORDER = (a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b));

    private Names() {
    }

    /** Whether {@code name} is one path component that cannot escape a folder. */
    public static boolean isSafe(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\0') < 0;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
