package dev.strata.image;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.Posix;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Where an image is restored: a block device (written in place, holes written as zeros since the
 * device holds old data) or a file (created or replaced; holes stay holes). Checks that the target
 * is not in use and is large enough. Confined to one thread.
 */
final class RestoreTarget implements AutoCloseable {
    final Path path;
    final boolean device;
    final FileChannel channel;
    /** The file, for setting its length; null for a device. */
    final RandomAccessFile file;

    private RestoreTarget(Path path, boolean device, FileChannel channel, RandomAccessFile file) {
        this.path = path;
        this.device = device;
        this.channel = channel;
        this.file = file;
    }

    static RestoreTarget open(Path path, long needed, boolean overwrite) throws IOException {
        Posix posix = Posix.get();
        FileStatus st = null;
        try {
            st = posix.stat(path);
        } catch (NoSuchFileException e) {
            // A new file.
        }
        if (st != null) {
            List<String> uses = Mounts.mountPointsOf(path);
            if (!uses.isEmpty()) {
                throw new UserFacingException(ExitCode.USAGE, "refusing to restore onto " + path + ": it is in use ("
                        + String.join(", ", uses) + ")");
            }
        }
        if (st != null && st.isBlockDevice()) {
            long size = posix.blockDeviceSize(path);
            if (size < needed) {
                throw new UserFacingException(ExitCode.USAGE, "refusing to restore onto " + path + ": it has " + size
                        + " bytes, the image needs " + needed);
            }
            return new RestoreTarget(path, true, FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.READ), null);
        }
        if (st != null && !st.isRegularFile()) {
            throw new UserFacingException(ExitCode.USAGE, "cannot restore onto " + path + ": not a block device or a file");
        }
        if (st != null && st.size() > 0 && !overwrite) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, path + " exists and is not empty; add --overwrite to replace it");
        }
        // Truncated first, so that what the image has as holes is a hole (zeros) in the file too.
        RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
        raf.setLength(0);
        return new RestoreTarget(path, false, raf.getChannel(), raf);
    }

    @Override
    public void close() throws IOException {
        channel.close();
        if (file != null) {
            file.close();
        }
    }
}
