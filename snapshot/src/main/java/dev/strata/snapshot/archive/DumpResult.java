package dev.strata.snapshot.archive;

import java.util.List;

/**
 * What a dump wrote.
 *
 * @param entries  archive entries written (folders, files, links, special files)
 * @param bytes    file content bytes written, before the archive's own framing and compression
 * @param leftOut  entries left out or written with less than their metadata
 * @param warnings the first {@link #LISTED} of those, each with its reason (the rest are counted)
 */
public record DumpResult(long entries, long bytes, long leftOut, List<String> warnings) {
    /** The most such entries listed with their reason. */
    public static final int LISTED = LeftOut.LISTED;

    public DumpResult {
        warnings = List.copyOf(warnings);
        if (leftOut < warnings.size()) {
            throw new IllegalArgumentException(leftOut + " entries left out, but " + warnings.size() + " listed");
        }
    }
}
