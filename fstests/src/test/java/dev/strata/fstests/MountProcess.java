package dev.strata.fstests;

import dev.strata.fuse.FuseMount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code strata mount} running in a child JVM, as a person runs it. Closing it always leaves the
 * mountpoint unmounted: a clean unmount first, then SIGKILL and a lazy unmount, so a hung mount
 * can never hang the build.
 */
final class MountProcess implements AutoCloseable {
    /**
     * How long a mount may take to come up. A JVM start, key derivation and repository open take
     * seconds on a quiet machine but over a minute at a load of 35 on two cores (seen); a mount that
     * never comes up is still killed and unmounted when this runs out.
     */
    private static final long READY_MILLIS = 120_000;

    final Path mountpoint;
    final Path log;
    final Process process;

    private MountProcess(Path mountpoint, Path log, Process process) {
        this.mountpoint = mountpoint;
        this.log = log;
        this.process = process;
    }

    static MountProcess start(Strata strata, Path mountpoint, String... extra) throws IOException, InterruptedException {
        return start(strata, mountpoint, java.util.Map.of(), extra);
    }

    /** Starts a mount whose process also gets {@code env} (test hooks such as STRATA_CRASH_AT). */
    static MountProcess start(Strata strata, Path mountpoint, java.util.Map<String, String> env, String... extra)
            throws IOException, InterruptedException {
        return start(strata, mountpoint, mountpoint.resolveSibling(mountpoint.getFileName() + ".log"), env, extra);
    }

    /** The same, its output appended to {@code log} (off a disk the test fills, say). */
    static MountProcess start(Strata strata, Path mountpoint, Path log, java.util.Map<String, String> env,
                              String... extra) throws IOException, InterruptedException {
        Files.createDirectories(mountpoint);
        String[] args = new String[extra.length + 2];
        args[0] = "mount";
        System.arraycopy(extra, 0, args, 1, extra.length);
        args[args.length - 1] = mountpoint.toString();
        ProcessBuilder pb = new ProcessBuilder(Strata.javaCommand(args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(strata.env());
        pb.environment().putAll(env);
        MountProcess m = new MountProcess(mountpoint, log, pb.start());
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        while (!FuseMount.isMounted(mountpoint)) {
            if (!m.process.isAlive() || System.currentTimeMillis() > deadline) {
                m.close();
                throw new AssertionError("the mount did not come up:\n" + m.log());
            }
            Thread.sleep(50);
        }
        return m;
    }

    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Waits until the mount's log contains {@code text}; fails with the log after {@code wait}. */
    void awaitLog(String text, java.time.Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the mount never said '" + text + "':\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** Sends SIGTERM (what Ctrl-C and `kill` do) and waits for the process; its exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the mount did not end within 30 s of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    /** Kills the process with SIGKILL (nothing of it runs any more) and clears the dead mount. */
    void kill() throws IOException, InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the mount process outlived SIGKILL by 30 s");
        }
        clearDeadMount();
    }

    /** Waits for the process to end by itself (a crash hook halting it); false if it still runs. */
    boolean awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** Unmounts a mount whose process is gone (calls on it fail with ENOTCONN until then). */
    void clearDeadMount() throws IOException, InterruptedException {
        if (FuseMount.isMounted(mountpoint)) {
            run("fusermount", "-u", mountpoint.toString());
        }
        if (FuseMount.isMounted(mountpoint)) {
            run("fusermount", "-u", "-z", mountpoint.toString());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (FuseMount.isMounted(mountpoint)) {
                run("fusermount", "-u", mountpoint.toString());
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            if (FuseMount.isMounted(mountpoint)) {
                run("fusermount", "-u", "-z", mountpoint.toString());
            }
        }
    }

    static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
