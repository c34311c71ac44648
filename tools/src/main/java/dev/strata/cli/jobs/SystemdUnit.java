package dev.strata.cli.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The systemd unit that runs {@code strata daemon}: its text, and where it goes (the user's unit
 * folder, or the system's for root). Stateless.
 */
public final class SystemdUnit {
    public static final String NAME = "strata.service";

    private SystemdUnit() {
    }

    /** {@code ~/.config/systemd/user} (or under $XDG_CONFIG_HOME) for a user unit, {@code /etc/systemd/system} else. */
    public static Path folder(boolean user, Map<String, String> env) {
        if (!user) {
            return Path.of("/etc/systemd/system");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return config.resolve("systemd").resolve("user");
    }

    /** Whether systemd runs this machine (so systemctl can enable the unit); in a container it often does not. */
    public static boolean systemdRunning() {
        return Files.isDirectory(Path.of("/run/systemd/system"));
    }

    /** The unit's text: {@code command} (the strata command and its JVM, as argv) run as a service that restarts on failure. */
    public static String text(List<String> command, boolean user) {
        StringBuilder exec = new StringBuilder();
        for (String arg : command) {
            exec.append(exec.length() == 0 ? "" : " ").append(quote(arg));
        }
        return """
                [Unit]
                Description=Strata: backup jobs on schedule and mounts
                Documentation=man:strata(1)
                After=network-online.target
                Wants=network-online.target

                [Service]
                Type=simple
                ExecStart=%s
                # 'systemctl reload strata': the daemon reads its configuration file again.
                ExecReload=/bin/kill -HUP $MAINPID
                # SIGTERM lets a job under way finish (up to a minute) and unmounts the mounts.
                KillMode=mixed
                TimeoutStopSec=90
                Restart=on-failure
                RestartSec=30
                Nice=10
                IOSchedulingClass=idle

                [Install]
                WantedBy=%s
                """.formatted(exec, user ? "default.target" : "multi-user.target");
    }

    /** An argument as systemd reads it: in double quotes, with its backslashes, quotes, '$' and '%' escaped. */
    static String quote(String arg) {
        if (arg.matches("[A-Za-z0-9_./:=,+@-]+")) {
            return arg;
        }
        return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "$$").replace("%", "%%") + "\"";
    }
}
