package dev.strata.cli;

import java.util.List;

/**
 * The JVM flag that makes the JVM give freed C heap back to the system every second, for the JVMs a
 * strata process starts itself (a mount's daemon; the mount tests' children), as tools/launcher gives
 * it to every command: glibc otherwise keeps what the JIT's compilations and zstd's contexts freed
 * (docs/benchmarks.md, "Native arenas"). Only JVMs that know the switch get it: one that does not
 * refuses to start. Thread-safe (stateless).
 */
public final class NativeHeapTrim {
    static final String FLAG = "-XX:TrimNativeHeapInterval=1000";

    private NativeHeapTrim() {
    }

    /** The flag for this JVM's version (a child runs the same java), or nothing. */
    public static List<String> flags() {
        return flags(Runtime.version());
    }

    /** The flag for a JVM of {@code v}: Java 17.0.11, 21.0.3, 22 and later have it as a product switch. */
    static List<String> flags(Runtime.Version v) {
        int feature = v.feature();
        int update = v.update();
        boolean known = feature >= 22 || (feature == 21 && update >= 3) || (feature == 17 && update >= 11);
        return known ? List.of(FLAG) : List.of();
    }
}
