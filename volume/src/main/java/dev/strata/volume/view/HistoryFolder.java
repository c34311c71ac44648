package dev.strata.volume.view;

import dev.strata.core.view.Attributes;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.Inodes;
import dev.strata.core.view.ViewNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A folder of a volume's versions tree ({@code versions/volume-NAME/<path…>/}): what the history
 * holds below it, live. A name with versions of its own is a {@link VersionList}; a name with
 * history below it is a folder again (the folder wins when a path was both). Thread-safe.
 */
final class HistoryFolder implements ViewNode {
    private final LiveVolume volume;
    private final byte[] path;
    private final ViewOwner owner;

    HistoryFolder(LiveVolume volume, byte[] path, ViewOwner owner) {
        this.volume = volume;
        this.path = path;
        this.owner = owner;
    }

    @Override
    public Attributes attributes() {
        return Attributes.virtualDirectory(Inodes.ofPath("volume-history:" + volume.name() + "/" + Names.string(path)),
                owner.time(), owner.uid(), owner.gid());
    }

    @Override
    public List<DirEntry> list() throws IOException {
        List<DirEntry> out = new ArrayList<>();
        for (byte[] name : volume.state().historyChildren(path)) {
            out.add(new DirEntry(Names.string(name), node(name).attributes()));
        }
        return out;
    }

    @Override
    public Optional<ViewNode> child(String name) throws IOException {
        byte[] b = Names.bytes(name);
        for (byte[] known : volume.state().historyChildren(path)) {
            if (java.util.Arrays.equals(known, b)) {
                return Optional.of(node(b));
            }
        }
        return Optional.empty();
    }

    private ViewNode node(byte[] name) throws IOException {
        byte[] childPath = below(path, name);
        if (!volume.state().historyChildren(childPath).isEmpty()) {
            return new HistoryFolder(volume, childPath, owner);
        }
        return new VersionList(volume, childPath, Names.string(name), owner);
    }

    static byte[] below(byte[] folder, byte[] name) {
        if (folder.length == 0) {
            return name.clone();
        }
        byte[] out = new byte[folder.length + 1 + name.length];
        System.arraycopy(folder, 0, out, 0, folder.length);
        out[folder.length] = '/';
        System.arraycopy(name, 0, out, folder.length + 1, name.length);
        return out;
    }

    @Override
    public boolean immutable() {
        return false;
    }
}
