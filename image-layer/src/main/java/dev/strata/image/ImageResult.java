package dev.strata.image;

import dev.strata.snapshot.Snapshot;

import java.util.List;

/**
 * A finished image: its snapshot and description, what was read and added, and the warnings
 * (unreadable ranges, a source that changed, filesystems read whole).
 */
public record ImageResult(Snapshot snapshot, ImageDescription description, long bytesRead, long bytesAdded,
                          long bytesStored, List<String> warnings) {
    public ImageResult {
        warnings = List.copyOf(warnings);
    }

    /** Whether something could not be read: the image is complete except for those ranges. */
    public boolean incomplete() {
        return !description.unreadable().isEmpty();
    }
}
