package dev.strata.snapshot.view;

import dev.strata.snapshot.view.SnapshotCatalog.Named;
import dev.strata.snapshot.view.SnapshotCatalog.Source;

/**
 * Where a snapshot's folder is in the mount. A source with few snapshots lists them directly; one
 * with very many (hourly backups over years) lists years, then months, so no folder grows huge.
 * Names start with the UTC date, so the year and month come from the name. Stateless.
 */
final class SnapshotPlaces {
    private SnapshotPlaces() {
    }

    static boolean grouped(ViewContext ctx, Source source) {
        return source.snapshots().size() > ctx.groupAbove;
    }

    /** The folder's path below {@code snapshots/<source>/}. */
    static String inSource(ViewContext ctx, Source source, Named n) {
        return grouped(ctx, source) ? year(n) + "/" + month(n) + "/" + n.name() : n.name();
    }

    /** The folder's path from the mount's root. */
    static String fromRoot(ViewContext ctx, Source source, Named n) {
        return MountRoot.SNAPSHOTS + "/" + source.name() + "/" + inSource(ctx, source, n);
    }

    static String year(Named n) {
        return n.name().substring(0, 4);
    }

    static String month(Named n) {
        return n.name().substring(0, 7);
    }

    /** "../" repeated: from a link {@code depth} folders below the root back to the root. */
    static String up(int depth) {
        return "../".repeat(depth);
    }
}
