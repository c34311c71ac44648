package dev.strata.image;

import dev.strata.image.browse.ByteSource;
import dev.strata.image.source.ImageSource;

import java.io.EOFException;
import java.io.IOException;

/** One region (a partition) of an image source as a {@link ByteSource}, for reading its filesystem while imaging. Thread-safe. */
final class RegionSource implements ByteSource {
    private final ImageSource source;
    private final ByteRange region;

    RegionSource(ImageSource source, ByteRange region) {
        this.source = source;
        this.region = region;
    }

    @Override
    public long size() {
        return region.length();
    }

    @Override
    public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
        if (position < 0 || length < 0 || position > region.length() - length) {
            throw new EOFException("read of " + length + " bytes at " + position + " is outside the region of "
                    + region.length() + " bytes at " + region.start());
        }
        source.readFully(region.start() + position, dst, offset, length);
    }
}
