package dev.strata.volume;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where volumes keep their local state: {@code $STRATA_STATE_DIR}, else {@code $XDG_STATE_HOME/strata},
 * else {@code ~/.local/state/strata}; one folder per volume under {@code volumes/<volume-id>}.
 * Stateless.
 */
public final class StateFolders {
    private StateFolders() {
    }

    public static Path root(Path explicit, Map<String, String> env) {
        if (explicit != null) {
            return explicit.toAbsolutePath();
        }
        String s = env.get("STRATA_STATE_DIR");
        if (s != null && !s.isBlank()) {
            return Path.of(s).toAbsolutePath();
        }
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "strata").toAbsolutePath();
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "state", "strata");
    }

    public static Path of(Path root, VolumeRecord record) {
        return root.resolve("volumes").resolve(record.volumeIdHex());
    }
}
