package dev.strata.core.repo;

import java.nio.file.Path;
import java.util.Map;

/**
 * Which repository a command means: {@code --repo}, {@code $STRATA_REPO}, or the local default
 * {@code $XDG_DATA_HOME/strata/repository} ({@code ~/.local/share/strata/repository}).
 */
public final class RepositoryLocation {
    private RepositoryLocation() {
    }

    public static Path resolve(String explicit, Map<String, String> env) {
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        String s = env.get("STRATA_REPO");
        if (s != null && !s.isBlank()) {
            return Path.of(s).toAbsolutePath().normalize();
        }
        return defaultLocation(env);
    }

    public static Path defaultLocation(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "strata", "repository").toAbsolutePath();
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "share", "strata", "repository");
    }
}
