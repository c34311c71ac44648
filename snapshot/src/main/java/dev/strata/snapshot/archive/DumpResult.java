package dev.strata.snapshot.archive;

import java.util.List;

/**
 * What a dump wrote.
 *
 * @param entries  archive entries written (folders, files, links, special files)
 * @param bytes    file content bytes written, before the archive's own framing and compression
 * @param warnings entries left out or written with less than their metadata, each with its reason
 */
public record DumpResult(long entries, long bytes, List<String> warnings) {
    public DumpResult {
        warnings = List.copyOf(warnings);
    }
}
