package dev.strata.snapshot.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * The entries an import or a dump left out: all counted, the first {@link #LISTED} kept with their
 * reason, so that an archive or a tree of any number of such entries is handled in bounded memory.
 * Confined to one job's thread.
 */
final class LeftOut {
    /** The most left-out entries listed with their reason. */
    static final int LISTED = 1000;

    private final List<String> listed = new ArrayList<>();
    private long count;

    void add(String reason) {
        if (listed.size() < LISTED) {
            listed.add(reason);
        }
        count++;
    }

    List<String> listed() {
        return listed;
    }

    long count() {
        return count;
    }
}
