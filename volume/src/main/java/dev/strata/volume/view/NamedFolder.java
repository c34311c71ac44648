package dev.strata.volume.view;

import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A folder that exists only in the view and holds the given entries ({@code volumes/}). Thread-safe. */
public final class NamedFolder implements ViewNode {
    private final long inode;
    private final Map<String, ViewNode> entries;
    private final ViewOwner owner;

    public NamedFolder(long inode, Map<String, ViewNode> entries, ViewOwner owner) {
        this.inode = inode;
        this.entries = Map.copyOf(entries);
        this.owner = owner;
    }

    @Override
    public Attributes attributes() {
        return Attributes.virtualDirectory(inode, owner.time(), owner.uid(), owner.gid());
    }

    @Override
    public List<DirEntry> list() throws IOException {
        List<DirEntry> out = new ArrayList<>();
        for (Map.Entry<String, ViewNode> e : new java.util.TreeMap<>(entries).entrySet()) {
            out.add(new DirEntry(e.getKey(), e.getValue().attributes()));
        }
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) {
        return Optional.ofNullable(entries.get(name));
    }
}
