package dev.strata.fstests;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A repository with one live volume, mounted whole by a {@code strata mount} child process:
 * {@code volumes/NAME/} read-write and {@code versions/volume-NAME/} beside it. It can be killed and
 * mounted again over the same repository and local state. Closing always leaves nothing mounted.
 * Confined to the test thread.
 */
final class LiveMount implements AutoCloseable {
    static final String VOLUME = "live";

    final Path dir;
    final Strata strata;
    /** Where the mount's output goes; null: beside the mountpoint. */
    private Path logFile;
    private MountProcess mount;

    private LiveMount(Path dir, Strata strata) {
        this.dir = dir;
        this.strata = strata;
    }

    /** A new repository under {@code dir} with volume {@value #VOLUME}, mounted. */
    static LiveMount create(Path dir) throws IOException, InterruptedException {
        return create(dir, Map.of());
    }

    /** The same, the mount process getting {@code env} too. */
    static LiveMount create(Path dir, Map<String, String> env) throws IOException, InterruptedException {
        return create(dir, env, java.util.List.of());
    }

    /** The same, {@code strata volume create} given {@code createOptions} too. */
    static LiveMount create(Path dir, Map<String, String> env, java.util.List<String> createOptions)
            throws IOException, InterruptedException {
        Strata strata = new Strata(dir);
        strata.run("init").ok();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("volume", "create"));
        args.addAll(createOptions);
        args.add(VOLUME);
        strata.run(args.toArray(String[]::new)).ok();
        LiveMount m = new LiveMount(dir, strata);
        m.mount(env);
        return m;
    }

    /**
     * A new repository under {@code dir} with volume {@value #VOLUME}, mounted, its mounts' output
     * going to {@code logFile}: a disk the test fills would lose what they log while it is full.
     */
    static LiveMount createLoggingTo(Path dir, Path logFile) throws IOException, InterruptedException {
        Strata strata = new Strata(dir);
        strata.run("init").ok();
        strata.run("volume", "create", VOLUME).ok();
        LiveMount m = new LiveMount(dir, strata);
        m.logFile = logFile;
        m.mount(Map.of());
        return m;
    }

    /** Mounts again (after {@link #kill} or {@link #unmount}); recovery runs as the volume opens. */
    void mount(Map<String, String> env) throws IOException, InterruptedException {
        if (mount != null && mount.process.isAlive()) {
            throw new IllegalStateException("still mounted");
        }
        Path mountpoint = dir.resolve("mnt");
        mount = logFile == null ? MountProcess.start(strata, mountpoint, env)
                : MountProcess.start(strata, mountpoint, logFile, env);
    }

    Path volume() {
        return mount.mountpoint.resolve("volumes").resolve(VOLUME);
    }

    Path versions() {
        return mount.mountpoint.resolve("versions").resolve("volume-" + VOLUME);
    }

    MountProcess process() {
        return mount;
    }

    String log() {
        return mount == null ? "" : mount.log();
    }

    /** SIGKILL: the process ends at once, whatever it was doing. */
    void kill() throws IOException, InterruptedException {
        mount.kill();
    }

    /** A clean unmount; waits for the process to end (it checkpoints on the way out). */
    void unmount() throws IOException, InterruptedException {
        mount.close();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (mount != null) {
            mount.close();
        }
    }
}
