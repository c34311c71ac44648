package dev.strata.image.source;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Posix;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** An image source on a block device or a regular (image) file, read with positional reads. Thread-safe. */
public final class FileImageSource implements ImageSource {
    /** Image files have no sector size of their own; partition tools assume this one. */
    public static final int FILE_SECTOR_SIZE = 512;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final int sectorSize;
    private final boolean blockDevice;

    private FileImageSource(Path path, FileChannel channel, long size, int sectorSize, boolean blockDevice) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.sectorSize = sectorSize;
        this.blockDevice = blockDevice;
    }

    /** Opens a block device or a regular file for reading; anything else is refused. */
    public static FileImageSource open(Path given) throws IOException {
        // Recorded in the snapshot: an absolute path says which file or device it was.
        Path path = given.toAbsolutePath().normalize();
        Posix posix = Posix.get();
        FileStatus st;
        try {
            st = posix.stat(path);
        } catch (NoSuchFileException e) {
            throw new UserFacingException(ExitCode.NOT_FOUND, "cannot image " + path + ": it does not exist");
        }
        boolean device = st.isBlockDevice();
        if (!device && !st.isRegularFile()) {
            throw new UserFacingException(ExitCode.USAGE, "cannot image " + path + ": not a block device or an image file");
        }
        long size = device ? posix.blockDeviceSize(path) : st.size();
        int sector = device ? posix.logicalSectorSize(path) : FILE_SECTOR_SIZE;
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        return new FileImageSource(path, ch, size, sector, device);
    }

    @Override
    public java.util.List<dev.strata.image.ByteRange> knownHoles() throws IOException {
        if (blockDevice) {
            return java.util.List.of();
        }
        java.util.List<dev.strata.image.ByteRange> holes = new java.util.ArrayList<>();
        long pos = 0;
        for (dev.strata.core.posix.Extent e : Posix.get().dataExtents(path)) {
            if (e.offset() > pos) {
                holes.add(new dev.strata.image.ByteRange(pos, e.offset() - pos));
            }
            pos = Math.max(pos, e.end());
        }
        if (size > pos) {
            holes.add(new dev.strata.image.ByteRange(pos, size - pos));
        }
        return holes;
    }

    @Override
    public String describe() {
        return path.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int sectorSize() {
        return sectorSize;
    }

    @Override
    public boolean isBlockDevice() {
        return blockDevice;
    }

    @Override
    public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(dst, offset, length);
        long pos = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new EOFException(path + " ended at " + pos + " while " + size + " bytes were expected (did it shrink?)");
            }
            pos += n;
        }
    }

    @Override
    public String version() throws IOException {
        if (blockDevice) {
            return "";
        }
        FileStatus st = Posix.get().stat(path);
        return st.size() + "/" + st.mtime() + "/" + st.ctime() + "/" + st.inode();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
