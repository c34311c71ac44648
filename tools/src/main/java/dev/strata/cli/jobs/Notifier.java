package dev.strata.cli.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A desktop notification through {@code notify-send}, where it is installed (found on the PATH
 * given); elsewhere nothing, the log line being the report. Thread-safe.
 */
public final class Notifier implements JobScheduler.Alerts {
    private final Path notifySend;
    private final Map<String, String> env;
    private final Consumer<String> log;

    public Notifier(Map<String, String> env, Consumer<String> log) {
        this.notifySend = find(env.getOrDefault("PATH", "/usr/bin:/bin"));
        this.env = Map.copyOf(env);
        this.log = log;
    }

    @Override
    public void alert(String job, String why) {
        if (notifySend == null) {
            return;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(notifySend.toString(), "--urgency=critical", "--app-name=Strata",
                    "Strata: backup job " + job + " needs attention", why)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (Exception e) {
            log.accept("notify-send failed: " + e.getMessage());
        }
    }

    private static Path find(String path) {
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "notify-send");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
