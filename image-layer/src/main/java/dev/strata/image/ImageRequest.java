package dev.strata.image;

import java.time.Instant;
import java.util.List;

/**
 * What to image and how.
 *
 * @param name     the image's name: later images of the same name are its increments
 * @param usedOnly read only the used blocks of ext2/3/4 and FAT filesystems
 * @param time     the snapshot's time, or null for now
 * @param host     the host to record, or null for this machine's
 * @param retries  how many times a failed read is retried before sectors are given up
 */
public record ImageRequest(String name, boolean usedOnly, List<String> tags, Instant time, String host, int retries) {
    public ImageRequest {
        tags = List.copyOf(tags);
    }

    public static ImageRequest of(String name) {
        return new ImageRequest(name, false, List.of(), null, null, 2);
    }

    public ImageRequest withUsedOnly(boolean v) {
        return new ImageRequest(name, v, tags, time, host, retries);
    }

    public ImageRequest withTags(List<String> v) {
        return new ImageRequest(name, usedOnly, v, time, host, retries);
    }

    public ImageRequest withTime(Instant v) {
        return new ImageRequest(name, usedOnly, tags, v, host, retries);
    }

    public ImageRequest withHost(String v) {
        return new ImageRequest(name, usedOnly, tags, time, v, retries);
    }
}
