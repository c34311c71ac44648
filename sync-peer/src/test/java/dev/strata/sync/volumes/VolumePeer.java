package dev.strata.sync.volumes;

import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.TreeStore;
import dev.strata.core.view.Caller;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ReadSink;
import dev.strata.core.view.ViewNode;
import dev.strata.core.tree.Xattr;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.chunks.StoreChunks;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.TestDevice;
import dev.strata.volume.burst.BurstWatch;
import dev.strata.volume.view.LiveVolume;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * One device of a shared volume in a test: a repository of its own, the volume opened live under the
 * shared keys, its sync index kept, and a device on loopback serving it to the devices added.
 */
public final class VolumePeer implements AutoCloseable {
    public static final Caller ME = new Caller(1000, 1000);

    public final TestDevice device;
    final Repository repo;
    final LiveVolume volume;
    public final VolumeService service;
    public final Set<DeviceId> sharedWith = new CopyOnWriteArraySet<>();
    /** The volume as the sync engine serves it. */
    public SharedVolume shared;
    private final TestRepositories.Fixture fixture;
    private final Path stateFolder;
    private final VolumeKeys keys;

    public VolumePeer(String name, Path dir, VolumeKeys keys) throws IOException {
        this.device = new TestDevice(name);
        this.fixture = TestRepositories.local(dir.resolve("repo")).small().init();
        this.repo = fixture.open(LockMode.APPEND);
        this.keys = keys;
        this.stateFolder = dir.resolve("state");
        this.volume = open();
        ChunkSpaces spaces = new ChunkSpaces();
        this.service = new VolumeService(spaces, null, device.log, Duration.ofSeconds(20));
        this.shared = shared();
        service.add(shared);
        device.start(0, c -> Handlers.of(c, spaces, service, device.log));
    }

    private LiveVolume open() throws IOException {
        LiveVolume v = LiveVolume.open("docs", keys.volumeId(), stateFolder, new TreeStore(repo.volumeStore(keys)),
                Clock.systemUTC(), LiveVolume.Timing.DEFAULT, 0, 0, BurstWatch.off(), line -> { });
        v.state().enableSync(SharedVolume.shortId(device.id()));
        return v;
    }

    private SharedVolume shared() throws IOException {
        return shared = new SharedVolume("docs", volume.state(), StoreChunks.volumeSpace(repo.volumeStore(keys)), volume.trees(),
                sharedWith::contains, volume.data(), device.log, null);
    }

    /** This volume as the engine would serve it over {@code space} (a test's view of what is held). */
    public SharedVolume sharedOver(dev.strata.sync.chunks.ChunkSpace space) {
        return new SharedVolume("docs", volume.state(), space, volume.trees(), sharedWith::contains, volume.data(),
                device.log, null);
    }

    /** Drops the connection to {@code other} and waits until it is up again. */
    public void reconnect(VolumePeer other) throws InterruptedException {
        device.network.connections().connection(other.device.id()).ifPresent(c -> c.close("a test reconnects"));
        if (!device.awaitConnected(other.device, Duration.ofSeconds(30))) {
            throw new AssertionError("not connected again:\n" + device.log());
        }
    }

    /** Shares the volume with {@code other} and adds it as a peer. */
    public void shareWith(VolumePeer other) {
        sharedWith.add(other.device.id());
        device.add(other.device);
    }

    public ViewNode root() {
        return volume.root();
    }

    public static void write(ViewNode folder, String name, byte[] b) throws IOException {
        try (OpenFile f = folder.create(name, 0644, ME)) {
            f.write(0, b, 0, b.length);
        }
    }

    /** Writes {@code b} as the whole content of {@code name}, made if missing. */
    static void put(ViewNode folder, String name, byte[] b) throws IOException {
        var existing = folder.child(name);
        if (existing.isEmpty()) {
            write(folder, name, b);
            return;
        }
        try (OpenFile f = existing.get().openForWriting()) {
            existing.get().truncate(0);
            f.write(0, b, 0, b.length);
        }
    }

    public static byte[] read(ViewNode file) throws IOException {
        long size = file.attributes().size();
        byte[] out = new byte[(int) size];
        try (OpenFile f = file.open()) {
            int at = 0;
            while (at < size) {
                int base = at;
                at += f.read(at, (int) Math.min(128 * 1024, size - at), new ReadSink() {
                    @Override
                    public void put(int pos, byte[] src, int srcOffset, int length) {
                        System.arraycopy(src, srcOffset, out, base + pos, length);
                    }

                    @Override
                    public void zero(int pos, int length) {
                    }
                });
            }
        }
        return out;
    }

    /**
     * The tree as text, path by path: type, mode, owner, size, mtime and content digest of files, the
     * target of symlinks, xattrs, link counts. Folder times are left out (names made in a folder move
     * them on each side, docs/sync.md).
     */
    public Map<String, String> describe() throws IOException {
        return describe(root());
    }

    /** {@link #describe()} of any folder of a view. */
    public static Map<String, String> describe(ViewNode folder) throws IOException {
        Map<String, String> out = new TreeMap<>();
        describe(folder, "", out);
        return out;
    }

    private static void describe(ViewNode folder, String prefix, Map<String, String> out) throws IOException {
        for (DirEntry e : folder.list()) {
            if (e.name().equals(".") || e.name().equals("..")) {
                continue;
            }
            java.util.Optional<ViewNode> child = folder.child(e.name());
            if (child.isEmpty()) {
                continue; // removed or renamed by a record applied since the listing: the next look sees it
            }
            ViewNode n = child.get();
            var a = n.attributes();
            StringBuilder s = new StringBuilder().append(a.type()).append(' ').append(Integer.toOctalString(a.mode()))
                    .append(' ').append(a.uid()).append(':').append(a.gid());
            switch (a.type()) {
                case FILE -> s.append(" size ").append(a.size()).append(" mtime ").append(a.mtime()).append(" links ")
                        .append(a.links()).append(" sha ").append(sha(read(n)));
                case SYMLINK -> s.append(" -> ").append(new String(n.readLink()));
                default -> { }
            }
            for (Xattr x : n.xattrs()) {
                s.append(" xattr ").append(x.name()).append('=').append(HexFormat.of().formatHex(x.value()));
            }
            String path = prefix + e.name();
            out.put(path, s.toString());
            if (a.type() == dev.strata.core.tree.NodeType.DIRECTORY) {
                describe(n, path + "/", out);
            }
        }
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b)).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            device.close();
            service.close();
            volume.close();
        } finally {
            repo.close();
        }
    }
}
