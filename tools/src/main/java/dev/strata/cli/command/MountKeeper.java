package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.cli.jobs.JobsConfig;
import dev.strata.cli.jobs.MountConfig;
import dev.strata.cli.jobs.RepositoryConfig;
import dev.strata.cli.jobs.RepositoryPassword;
import dev.strata.core.repo.CacheLocation;
import dev.strata.fuse.FuseMount;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the configuration file's mounts up for the daemon: each is a {@code strata mount} process of
 * its own (the mount command, unchanged), started again when it ends, after a pause that grows while
 * it keeps failing; its output goes to the daemon's log. {@link #close} ends them (SIGTERM, which
 * unmounts). Thread-safe.
 */
final class MountKeeper implements AutoCloseable {
    private static final long FIRST_PAUSE_MILLIS = 5_000;
    private static final long LONGEST_PAUSE_MILLIS = 300_000;

    private final CliContext ctx;
    private final JobsConfig config;
    private final Consumer<String> log;
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final List<Thread> keepers = new ArrayList<>();
    private volatile boolean closing;

    MountKeeper(CliContext ctx, JobsConfig config, Consumer<String> log) {
        this.ctx = ctx;
        this.config = config;
        this.log = log;
    }

    void start() {
        for (MountConfig m : config.mounts().values()) {
            Thread t = new Thread(() -> keep(m), "strata-mount-" + m.name());
            t.setDaemon(true);
            keepers.add(t);
            t.start();
        }
    }

    private void keep(MountConfig m) {
        long pause = FIRST_PAUSE_MILLIS;
        while (!closing) {
            long started = System.nanoTime();
            try {
                if (FuseMount.isMounted(m.mountpoint())) {
                    log.accept("mount " + m.name() + ": something is already mounted at " + m.mountpoint() + "; looking again later");
                } else {
                    int code = runOnce(m);
                    if (closing) {
                        return;
                    }
                    log.accept("ERROR mount " + m.name() + " ended with exit code " + code + "; mounting again in " + pause / 1000 + " s");
                }
            } catch (IOException e) {
                if (closing) {
                    return; // the process was ended by close(): its output stream went with it
                }
                log.accept("ERROR mount " + m.name() + ": " + e.getMessage() + "; trying again in " + pause / 1000 + " s");
            } catch (InterruptedException e) {
                return;
            }
            // A mount that stayed up a while starts its backoff afresh.
            pause = System.nanoTime() - started > TimeUnit.MINUTES.toNanos(10) ? FIRST_PAUSE_MILLIS : Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private int runOnce(MountConfig m) throws IOException, InterruptedException {
        RepositoryConfig repo = config.repositories().get(m.repository());
        Path cache = CacheLocation.resolve(repo.cacheDir(), ctx.env());
        List<String> cmd = new ArrayList<>(DaemonLauncher.javaCommand(cache, false));
        cmd.addAll(List.of("mount", "--repo", repo.location(), "--cache-dir", cache.toString(), "--password-file",
                repo.passwordFile() != null ? repo.passwordFile().toString() : "/dev/stdin"));
        cmd.add(m.mountpoint().toString());
        byte[] password = repo.passwordFile() == null && repo.passwordCommand() != null
                ? RepositoryPassword.fromCommand(repo.passwordCommand(), ctx.env()).getBytes(StandardCharsets.UTF_8) : null;
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(ctx.env());
        if (password == null && repo.passwordFile() == null) {
            // Neither in the file: the mount reads $STRATA_PASSWORD_FILE or $STRATA_PASSWORD as any command does.
            cmd.subList(cmd.size() - 3, cmd.size() - 1).clear();
            pb.command(cmd);
        }
        Process p = pb.start();
        running.put(m.name(), p);
        try {
            try (OutputStream in = p.getOutputStream()) {
                if (password != null) {
                    in.write(password);
                }
            }
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    log.accept("mount " + m.name() + ": " + line);
                }
            }
            return p.waitFor();
        } finally {
            running.remove(m.name());
        }
    }

    /** Ends every mount: SIGTERM unmounts; one that has not ended after 20 s is killed. */
    @Override
    public void close() {
        closing = true;
        keepers.forEach(Thread::interrupt);
        running.values().forEach(Process::destroy);
        for (Process p : running.values()) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (Thread t : keepers) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
