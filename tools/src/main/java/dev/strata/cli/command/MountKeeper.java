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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the configuration file's mounts up for the daemon: each is a {@code strata mount} process of
 * its own (the mount command, unchanged), started again when it ends, after a pause that grows while
 * it keeps failing; its output goes to the daemon's log. {@link #update} applies a reloaded
 * configuration: mounts removed or changed are ended, new ones started, the others left alone.
 * {@link #close} ends them all (SIGTERM, which unmounts). Thread-safe.
 */
final class MountKeeper implements AutoCloseable {
    private static final long FIRST_PAUSE_MILLIS = 5_000;
    private static final long LONGEST_PAUSE_MILLIS = 300_000;

    private final CliContext ctx;
    private final Consumer<String> log;
    /** The mounts kept, by name; guarded by this. */
    private final Map<String, Keeper> keepers = new HashMap<>();
    private JobsConfig config;
    private boolean closed;

    MountKeeper(CliContext ctx, JobsConfig config, Consumer<String> log) {
        this.ctx = ctx;
        this.config = config;
        this.log = log;
    }

    synchronized void start() {
        for (MountConfig m : config.mounts().values()) {
            startKeeper(m, config.repositories().get(m.repository()));
        }
    }

    /** Ends the mounts {@code next} removes or changes (its repository's settings included) and starts the ones it adds. */
    void update(JobsConfig next) {
        List<Keeper> ending = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            for (Keeper k : keepers.values()) {
                MountConfig m = next.mounts().get(k.mount.name());
                if (m == null || !m.equals(k.mount) || !next.repositories().get(m.repository()).equals(k.repository)) {
                    ending.add(k);
                }
            }
            ending.forEach(k -> keepers.remove(k.mount.name()));
            config = next;
        }
        for (Keeper k : ending) {
            log.accept("mount " + k.mount.name() + ": " + (next.mounts().containsKey(k.mount.name()) ? "changed" : "removed")
                    + " in the configuration, unmounting " + k.mount.mountpoint());
            k.end();
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            for (MountConfig m : next.mounts().values()) {
                if (!keepers.containsKey(m.name())) {
                    startKeeper(m, next.repositories().get(m.repository()));
                }
            }
        }
    }

    private void startKeeper(MountConfig m, RepositoryConfig repo) {
        Keeper k = new Keeper(m, repo);
        keepers.put(m.name(), k);
        k.thread.start();
    }

    /** Ends every mount: SIGTERM unmounts; one that has not ended after 20 s is killed. */
    @Override
    public void close() {
        List<Keeper> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(keepers.values());
            keepers.clear();
        }
        all.forEach(Keeper::signal);
        all.forEach(Keeper::awaitEnd);
    }

    /** One mount kept up by a thread of its own. Thread-safe. */
    private final class Keeper {
        final MountConfig mount;
        final RepositoryConfig repository;
        final Thread thread;
        volatile boolean closing;
        volatile Process process;

        Keeper(MountConfig mount, RepositoryConfig repository) {
            this.mount = mount;
            this.repository = repository;
            this.thread = new Thread(this::keep, "strata-mount-" + mount.name());
            this.thread.setDaemon(true);
        }

        void end() {
            signal();
            awaitEnd();
        }

        /** Under the keeper's lock, so that a mount process is never started after it. */
        synchronized void signal() {
            closing = true;
            thread.interrupt();
            Process p = process;
            if (p != null) {
                p.destroy();
            }
        }

        void awaitEnd() {
            try {
                Process p = process;
                if (p != null && !p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void keep() {
            long pause = FIRST_PAUSE_MILLIS;
            while (!closing) {
                long started = System.nanoTime();
                try {
                    if (FuseMount.isMounted(mount.mountpoint())) {
                        log.accept("mount " + mount.name() + ": something is already mounted at " + mount.mountpoint() + "; looking again later");
                    } else {
                        int code = runOnce();
                        if (closing) {
                            return;
                        }
                        log.accept("ERROR mount " + mount.name() + " ended with exit code " + code + "; mounting again in " + pause / 1000 + " s");
                    }
                } catch (IOException e) {
                    if (closing) {
                        return; // the process was ended by close(): its output stream went with it
                    }
                    log.accept("ERROR mount " + mount.name() + ": " + e.getMessage() + "; trying again in " + pause / 1000 + " s");
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

        private int runOnce() throws IOException, InterruptedException {
            RepositoryConfig repo = repository;
            Path cache = CacheLocation.resolve(repo.cacheDir(), ctx.env());
            List<String> cmd = new ArrayList<>(DaemonLauncher.javaCommand(cache, false));
            cmd.addAll(List.of("mount", "--repo", repo.location(), "--cache-dir", cache.toString(), "--password-file",
                    repo.passwordFile() != null ? repo.passwordFile().toString() : "/dev/stdin"));
            cmd.add(mount.mountpoint().toString());
            byte[] password = repo.passwordFile() == null && repo.passwordCommand() != null
                    ? RepositoryPassword.fromCommand(repo.passwordCommand(), ctx.env()).getBytes(StandardCharsets.UTF_8) : null;
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(ctx.env());
            if (password == null && repo.passwordFile() == null) {
                // Neither in the file: the mount reads $STRATA_PASSWORD_FILE or $STRATA_PASSWORD as any command does.
                cmd.subList(cmd.size() - 3, cmd.size() - 1).clear();
                pb.command(cmd);
            }
            Process p;
            synchronized (this) {
                if (closing) {
                    return 0;
                }
                p = pb.start();
                process = p;
            }
            try {
                try (OutputStream in = p.getOutputStream()) {
                    if (password != null) {
                        in.write(password);
                    }
                }
                try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        log.accept("mount " + mount.name() + ": " + line);
                    }
                }
                return p.waitFor();
            } finally {
                process = null;
            }
        }
    }
}
