package dev.strata.sync.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a device keeps its identity and its peers: {@code $XDG_CONFIG_HOME/strata}, else
 * {@code ~/.config/strata}. Two users, or two {@code HOME}s on one machine, are two devices. Stateless.
 */
public final class ConfigFolder {
    private ConfigFolder() {
    }

    public static Path resolve(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        // The XDG spec says a relative value is invalid and to be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "strata");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "strata").toAbsolutePath();
    }
}
