package dev.strata.core.repo;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local cache (the index) lives: {@code --cache-dir}, {@code $STRATA_CACHE_DIR},
 * {@code $XDG_CACHE_HOME/strata} or {@code ~/.cache/strata} (docs/format.md §9).
 */
public final class CacheLocation {
    private CacheLocation() {
    }

    public static Path resolve(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return explicit.toAbsolutePath();
        }
        String s = env.get("STRATA_CACHE_DIR");
        if (s != null && !s.isBlank()) {
            return Path.of(s).toAbsolutePath();
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "strata").toAbsolutePath();
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".cache", "strata");
    }
}
