package dev.strata.snapshot.view;

import dev.strata.core.tree.Node;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.view.ViewNode;
import dev.strata.snapshot.view.VersionFolder.SeenNode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code versions/<source>/<path>/<file>/}: one entry per distinct content the file had, named by
 * the time of the first snapshot that saved it plus the file's extension (so a file manager opens
 * it with the right program), carrying that snapshot's metadata. A file that never changed has
 * one entry. Thread-safe (immutable).
 */
final class FileVersions extends VirtualDir {

    private final String extension;
    private final List<SeenNode> seen;

    FileVersions(ViewContext ctx, String viewPath, String fileName, List<SeenNode> seen) {
        super(ctx, viewPath);
        this.extension = VersionNames.extension(fileName);
        this.seen = seen;
    }

    @Override
    protected Map<String, ViewNode> entries() {
        Map<Object, SeenNode> firstByContent = new LinkedHashMap<>();
        for (SeenNode s : seen) {
            firstByContent.putIfAbsent(contentKey(s.node()), s);
        }
        Map<String, ViewNode> out = new LinkedHashMap<>();
        for (SeenNode s : firstByContent.values()) {
            String name = VersionNames.unique(s.snapshot().name(), extension, out.keySet());
            out.put(name, SavedNodes.of(ctx, s.snapshot().snapshot().id().bytes(), s.node()));
        }
        return out;
    }

    @Override
    protected Timestamp time() {
        return Timestamp.of(seen.get(seen.size() - 1).snapshot().snapshot().time());
    }

    @Override
    public boolean immutable() {
        // New snapshots may add versions.
        return false;
    }

    /** What makes two saved entries the same version: their type and bytes, not their metadata. */
    private static Object contentKey(Node n) {
        return switch (n.type()) {
            case FILE -> n.content();
            case SYMLINK -> List.of(n.type(), Arrays.toString(n.linkTarget()));
            default -> List.of(n.type(), n.rdev());
        };
    }
}
