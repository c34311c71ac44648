package dev.strata.cli.jobs;

import dev.strata.volume.StateFolders;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the configuration file and the job state live: {@code --config}, else {@code $STRATA_CONFIG},
 * else {@code /etc/strata/config.toml} for root, else {@code $XDG_CONFIG_HOME/strata/config.toml}
 * (default {@code ~/.config}); the job state in {@code jobs/} of the state folder. Stateless.
 */
public final class ConfigLocation {
    private ConfigLocation() {
    }

    public static Path configFile(Path explicit, Map<String, String> env, boolean root) {
        if (explicit != null) {
            return explicit.toAbsolutePath();
        }
        String fromEnv = env.get("STRATA_CONFIG");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Path.of(fromEnv).toAbsolutePath();
        }
        if (root) {
            return Path.of("/etc/strata/config.toml");
        }
        return xdg(env, "XDG_CONFIG_HOME", ".config").resolve("strata").resolve("config.toml");
    }

    /** The jobs' folder in the state folder that volumes use too ({@code $STRATA_STATE_DIR}, else ~/.local/state/strata). */
    public static Path stateDir(Map<String, String> env) {
        return StateFolders.root(null, env).resolve("jobs");
    }

    private static Path xdg(Map<String, String> env, String variable, String underHome) {
        String dir = env.get(variable);
        if (dir != null && !dir.isEmpty() && Path.of(dir).isAbsolute()) {
            return Path.of(dir);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home).resolve(underHome);
    }
}
