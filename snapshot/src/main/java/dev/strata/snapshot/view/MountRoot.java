package dev.strata.snapshot.view;

import dev.strata.core.view.ViewNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The root of a mounted repository: {@code snapshots/}, {@code versions/}, {@code hosts/},
 * {@code tags/}, {@code ids/}, and whatever other views add at the top (images/, …). Thread-safe.
 */
public final class MountRoot extends VirtualDir {
    static final String SNAPSHOTS = "snapshots";
    static final String VERSIONS = "versions";

    private final Map<String, ViewNode> entries = new LinkedHashMap<>();

    /**
     * @param more further top-level folders, by name (e.g. the images view)
     */
    public MountRoot(ViewContext ctx, Map<String, ViewNode> more) {
        this(ctx, more, Map::of);
    }

    /**
     * @param more         further top-level folders, by name (e.g. the images view)
     * @param moreVersions further folders of {@code versions/} beside the backups' (a live volume's
     *                     history), asked for each time {@code versions/} is looked at
     */
    public MountRoot(ViewContext ctx, Map<String, ViewNode> more, VersionsDir.Extra moreVersions) {
        super(ctx, "/");
        entries.put(SNAPSHOTS, new SnapshotsDir(ctx, "/" + SNAPSHOTS));
        entries.put(VERSIONS, new VersionsDir(ctx, "/" + VERSIONS, moreVersions));
        entries.put(IndexDirs.HOSTS, IndexDirs.hosts(ctx));
        entries.put(IndexDirs.TAGS, IndexDirs.tags(ctx));
        entries.put(IndexDirs.IDS, IndexDirs.ids(ctx));
        more.forEach((name, node) -> {
            if (entries.putIfAbsent(name, node) != null) {
                throw new IllegalArgumentException("the mount already has a top-level folder called " + name);
            }
        });
    }

    @Override
    protected Map<String, ViewNode> entries() {
        return entries;
    }
}
