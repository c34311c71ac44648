package dev.strata.sync.view;

import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.ViewNode;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.volumes.SharedVolume;
import dev.strata.volume.view.ViewOwner;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The mount's {@code peers/} folder (docs/sync.md, "What a peer has"): a folder per device a synced
 * volume is shared with, named by its device ID, holding a folder per volume shared with it.
 * Read-only; what it lists follows the shares at every call. Thread-safe.
 */
public final class PeersFolder implements ViewNode {
    private final Supplier<PeerSource> source;
    private final ViewOwner owner;
    private final Reads reads;

    /**
     * @param source       the volumes and connections (asked at every call: sync may start after the mount)
     * @param fetchTimeout how long a read waits for a chunk from a peer
     * @param log          where a read that could not be served says why
     */
    public PeersFolder(Supplier<PeerSource> source, ViewOwner owner, Duration fetchTimeout, Consumer<String> log) {
        this.source = source;
        this.owner = owner;
        this.reads = new Reads(source, fetchTimeout, log);
    }

    /** Every device a synced volume is shared with, by written ID, with the volumes shared with it, by name. */
    private Map<String, Map<String, SharedVolume>> devices() {
        PeerSource s = source.get();
        Map<String, Map<String, SharedVolume>> out = new TreeMap<>();
        for (SharedVolume v : s.volumes()) {
            for (DeviceId d : s.devices(v)) {
                out.computeIfAbsent(d.toString(), k -> new TreeMap<>()).put(v.name(), v);
            }
        }
        return out;
    }

    @Override
    public Attributes attributes() {
        return Attributes.virtualDirectory(Inodes.ofPath("/peers"), owner.time(), owner.uid(), owner.gid());
    }

    @Override
    public List<DirEntry> list() {
        List<DirEntry> out = new ArrayList<>();
        for (String d : devices().keySet()) {
            out.add(new DirEntry(d, deviceAttributes(d)));
        }
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) {
        Map<String, SharedVolume> volumes = devices().get(name);
        return volumes == null ? Optional.empty() : Optional.of(new Device(name));
    }

    @Override
    public boolean immutable() {
        return false;
    }

    private Attributes deviceAttributes(String device) {
        return Attributes.virtualDirectory(Inodes.ofPath("/peers/" + device), owner.time(), owner.uid(), owner.gid());
    }

    /** {@code peers/<device>/}: the volumes shared with that device. */
    private final class Device implements ViewNode {
        private final String name;

        Device(String name) {
            this.name = name;
        }

        private Map<String, SharedVolume> volumes() {
            return devices().getOrDefault(name, Map.of());
        }

        @Override
        public Attributes attributes() {
            return deviceAttributes(name);
        }

        @Override
        public List<DirEntry> list() throws IOException {
            List<DirEntry> out = new ArrayList<>();
            for (Map.Entry<String, SharedVolume> e : volumes().entrySet()) {
                out.add(new DirEntry(e.getKey(), root(e.getValue()).attributes()));
            }
            return out;
        }

        @Override
        public Optional<ViewNode> child(String volume) {
            SharedVolume v = volumes().get(volume);
            return v == null ? Optional.empty() : Optional.of(root(v));
        }

        private PeerNode root(SharedVolume v) {
            return PeerNode.root(new PeerNode.Place(v, DeviceId.parse(name), reads, owner));
        }

        @Override
        public boolean immutable() {
            return false;
        }
    }
}
