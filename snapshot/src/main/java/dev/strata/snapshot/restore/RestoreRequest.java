package dev.strata.snapshot.restore;

import dev.strata.core.id.ChunkId;
import dev.strata.core.posix.Posix;

import java.nio.file.Path;

/**
 * What to restore and where.
 *
 * @param tree       the tree whose entries are restored into {@code target}
 * @param origin     the snapshot path that tree stands for ("/" or "/home/ana"), for filters and messages
 * @param target     the folder to restore into (created if missing)
 * @param selected   which snapshot paths to restore
 * @param overwrite  what to do with existing files
 * @param verify     re-read every restored file and check it against its chunk ids
 * @param owners     restore owners (needs root; without it files belong to the user running restore)
 * @param threads    file-writing threads (0: two per core)
 */
public record RestoreRequest(ChunkId tree, String origin, Path target, Selection selected,
                             OverwriteMode overwrite, boolean verify, boolean owners, int threads) {
    public static RestoreRequest of(ChunkId tree, Path target) {
        return new RestoreRequest(tree, "/", target, Selection.ALL, OverwriteMode.IF_CHANGED, false, mayChangeOwners(), 0);
    }

    public RestoreRequest withOverwrite(OverwriteMode m) {
        return new RestoreRequest(tree, origin, target, selected, m, verify, owners, threads);
    }

    public RestoreRequest withVerify(boolean v) {
        return new RestoreRequest(tree, origin, target, selected, overwrite, v, owners, threads);
    }

    public RestoreRequest withSelection(Selection s) {
        return new RestoreRequest(tree, origin, target, s, overwrite, verify, owners, threads);
    }

    public RestoreRequest withOrigin(String o) {
        return new RestoreRequest(tree, o, target, selected, overwrite, verify, owners, threads);
    }

    /** Whether this process may give files to other users: its effective uid is 0 (whatever that user is called). */
    public static boolean mayChangeOwners() {
        return Posix.get().effectiveUid() == 0;
    }
}
