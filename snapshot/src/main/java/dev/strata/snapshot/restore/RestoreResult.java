package dev.strata.snapshot.restore;

import java.util.List;

/**
 * What a restore did.
 *
 * @param damaged   snapshot paths that could not be restored because their data is damaged or missing
 * @param refused   snapshot entries refused as unsafe (names that would leave the target)
 * @param problems  entries not restored and metadata not applied (an owner, an xattr), each with its reason
 * @param diskFull  the target's filesystem filled up and the restore stopped early; running it again resumes
 */
public record RestoreResult(long filesRestored, long filesSkipped, long dirs, long specials, long bytesWritten,
                            List<String> damaged, List<String> refused, List<String> problems, boolean diskFull) {
    public RestoreResult {
        damaged = List.copyOf(damaged);
        refused = List.copyOf(refused);
        problems = List.copyOf(problems);
    }

    public boolean clean() {
        return damaged.isEmpty() && refused.isEmpty() && problems.isEmpty() && !diskFull;
    }
}
