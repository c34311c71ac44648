package dev.strata.volume.view;

import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.OpenFile;
import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.view.SourceNames;
import dev.strata.snapshot.view.VersionNames;
import dev.strata.volume.data.ContentFile;
import dev.strata.volume.state.VersionRecord;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The saved versions of one path of a volume ({@code versions/volume-NAME/<path>/<file>/}): one
 * read-only file per version, named by the time it was saved plus the file's extension, oldest
 * first. Thread-safe.
 */
final class VersionList implements ViewNode {
    private final LiveVolume volume;
    private final byte[] path;
    private final String extension;
    private final ViewOwner owner;

    VersionList(LiveVolume volume, byte[] path, String fileName, ViewOwner owner) {
        this.volume = volume;
        this.path = path;
        this.extension = VersionNames.extension(fileName);
        this.owner = owner;
    }

    private Map<String, VersionRecord> named() throws IOException {
        Map<String, VersionRecord> out = new LinkedHashMap<>();
        for (VersionRecord v : volume.state().versions(path)) {
            out.put(VersionNames.unique(SourceNames.time(v.saved().toInstant()), extension, out.keySet()), v);
        }
        return out;
    }

    @Override
    public Attributes attributes() {
        return Attributes.virtualDirectory(Inodes.ofPath("volume-versions:" + volume.name() + "/" + Names.string(path)),
                owner.time(), owner.uid(), owner.gid());
    }

    @Override
    public List<DirEntry> list() throws IOException {
        List<DirEntry> out = new ArrayList<>();
        for (Map.Entry<String, VersionRecord> e : named().entrySet()) {
            out.add(new DirEntry(e.getKey(), new Version(e.getValue()).attributes()));
        }
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) throws IOException {
        VersionRecord v = named().get(name);
        return v == null ? Optional.empty() : Optional.of(new Version(v));
    }

    @Override
    public boolean immutable() {
        return false;
    }

    /** One saved version: a read-only file that never changes. */
    private final class Version implements ViewNode {
        private final VersionRecord record;

        Version(VersionRecord record) {
            this.record = record;
        }

        @Override
        public Attributes attributes() {
            long size = record.size();
            Timestamp saved = record.saved();
            return new Attributes(NodeType.FILE, record.mode() & 0555, owner.uid(), owner.gid(), size, (size + 511) / 512,
                    saved, record.mtime(), saved, Inodes.ofPath("volume-version:" + volume.name() + ":" + record.seq()), 1, 0);
        }

        @Override
        public OpenFile open() throws IOException {
            return ContentFile.open(volume.trees(), record.content());
        }
    }
}
