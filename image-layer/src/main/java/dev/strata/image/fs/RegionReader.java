package dev.strata.image.fs;

import dev.strata.image.ByteRange;
import dev.strata.image.source.ImageSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads little-endian structures inside one region (a partition) of a source. Confined to one thread. */
final class RegionReader {
    private final ImageSource source;
    private final ByteRange region;

    RegionReader(ImageSource source, ByteRange region) {
        this.source = source;
        this.region = region;
    }

    long length() {
        return region.length();
    }

    /** {@code length} bytes at {@code offset} within the region; bytes past its end read as zeros. */
    ByteBuffer read(long offset, int length) throws IOException {
        byte[] b = new byte[length];
        long available = Math.max(0, Math.min(length, region.length() - offset));
        if (available > 0) {
            source.readFully(region.start() + offset, b, 0, (int) available);
        }
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}
