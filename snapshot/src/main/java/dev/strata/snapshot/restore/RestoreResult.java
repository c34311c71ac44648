package dev.strata.snapshot.restore;

import java.util.List;

/**
 * What a restore did.
 *
 * @param damaged   snapshot paths that could not be restored because their data is damaged or missing
 * @param refused   snapshot entries refused as unsafe (names that would leave the target)
 * @param problems  metadata that could not be applied (an owner, an xattr), per path
 */
public record RestoreResult(long filesRestored, long filesSkipped, long dirs, long specials, long bytesWritten,
                            List<String> damaged, List<String> refused, List<String> problems) {
    public RestoreResult {
        damaged = List.copyOf(damaged);
        refused = List.copyOf(refused);
        problems = List.copyOf(problems);
    }

    public boolean clean() {
        return damaged.isEmpty() && refused.isEmpty() && problems.isEmpty();
    }
}
