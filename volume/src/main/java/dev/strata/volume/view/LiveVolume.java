package dev.strata.volume.view;

import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.ViewNode;
import dev.strata.volume.burst.BurstWatch;
import dev.strata.volume.data.VolumeData;
import dev.strata.volume.state.Inode;
import dev.strata.volume.state.VolumeState;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An open live volume: its state, its file data, and its tree as a writable view. Opening recovers
 * from a crash; closing seals what open files changed and makes it durable. Thread-safe.
 */
public final class LiveVolume implements AutoCloseable {
    private final String name;
    private final byte[] volumeId;
    private final MountInodes mountInodes;
    private final VolumeState state;
    private final VolumeData data;
    private final TreeStore trees;
    private final Clock clock;
    private final Path stateFolder;
    private final BurstWatch burst;
    private boolean closed;

    private LiveVolume(String name, byte[] volumeId, VolumeState state, VolumeData data, TreeStore trees, Clock clock,
                       Path stateFolder, BurstWatch burst) {
        this.stateFolder = stateFolder;
        this.burst = burst;
        this.name = name;
        this.volumeId = volumeId.clone();
        this.mountInodes = new MountInodes(volumeId);
        this.state = state;
        this.data = data;
        this.trees = trees;
        this.clock = clock;
    }

    /**
     * How a live volume keeps its state: how long changes may wait for a durable commit, and for a flush;
     * how long a file may be held open for writing before an fsync of it makes a version.
     */
    public record Timing(Duration commitInterval, Duration flushDelay, Duration syncVersionEvery) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(5));

        public Timing withSyncVersionEvery(Duration d) {
            return new Timing(commitInterval, flushDelay, d);
        }
    }

    /**
     * Opens the volume {@code name} whose local state is in {@code stateFolder} ({@code lmdb/} and
     * {@code staging/} below it), storing content through {@code trees}. A new state gets a root
     * folder owned by {@code uid}/{@code gid}. Deletions and overwrites made through the volume's
     * tree are reported to {@code burst}.
     */
    public static LiveVolume open(String name, byte[] volumeId, Path stateFolder, TreeStore trees, Clock clock,
                                  Timing timing, long uid, long gid, BurstWatch burst, Consumer<String> log)
            throws IOException {
        VolumeState state = VolumeState.open(stateFolder.resolve("lmdb"), clock, timing.commitInterval(), uid, gid);
        try {
            VolumeData data = VolumeData.open(state, stateFolder.resolve("staging"), trees, clock, timing.flushDelay(),
                    timing.syncVersionEvery(), burst, log);
            return new LiveVolume(name, volumeId, state, data, trees, clock, stateFolder, burst);
        } catch (IOException | RuntimeException e) {
            state.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public ViewNode root() {
        return new VolumeNode(this, Inode.ROOT);
    }

    /** The volume's saved versions as a read-only tree ({@code versions/volume-NAME/} in the mount). */
    public ViewNode history(ViewOwner owner) {
        return new HistoryFolder(this, new byte[0], owner);
    }

    public TreeStore trees() {
        return trees;
    }

    public byte[] volumeId() {
        return volumeId.clone();
    }

    public VolumeState state() {
        return state;
    }

    public VolumeData data() {
        return data;
    }

    /** The inode number the mount shows for volume inode {@code ino}: stable, and apart from every other view's. */
    long mountInode(long ino) {
        return mountInodes.of(ino);
    }

    /**
     * What statfs shows for the volume: the space of the disk holding its local state, where every
     * write lands first (a full disk answers ENOSPC there), and the volume's file count.
     */
    dev.strata.core.view.SpaceInfo space() throws IOException {
        java.nio.file.FileStore store = java.nio.file.Files.getFileStore(stateFolder);
        long files = state.fileCount();
        return new dev.strata.core.view.SpaceInfo(store.getTotalSpace(), store.getUnallocatedSpace(),
                store.getUsableSpace(), files, Math.max(0, (store.getUsableSpace() / 4096) - files));
    }

    Timestamp now() {
        return Timestamp.of(clock.instant());
    }

    /** Entry {@code name} of folder {@code parent} was removed: a deletion for the burst watch. */
    void deleted(long parent, byte[] name) {
        byte[] path = pathIn(parent, name);
        if (path != null) {
            burst.deleted(path);
        }
    }

    /** The file at entry {@code name} of folder {@code parent} was replaced (renamed over): an overwrite. */
    void replaced(long parent, byte[] name) {
        byte[] path = pathIn(parent, name);
        if (path != null) {
            burst.overwritten(path);
        }
    }

    /** The path of entry {@code name} of folder {@code parent}; null if the folder is gone meanwhile. */
    private byte[] pathIn(long parent, byte[] name) {
        byte[] folder;
        try {
            folder = state.path(parent);
        } catch (IOException gone) {
            return null;
        }
        if (folder.length == 0) {
            return name;
        }
        byte[] path = Arrays.copyOf(folder, folder.length + 1 + name.length);
        path[folder.length] = '/';
        System.arraycopy(name, 0, path, folder.length + 1, name.length);
        return path;
    }

    /** Seals open changes, makes everything durable and closes the state. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            data.close();
        } finally {
            state.close();
        }
    }
}
