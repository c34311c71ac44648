package dev.strata.fuse;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.MissingChunkException;
import ru.serce.jnrfuse.ErrorCodes;

import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.ReadOnlyFileSystemException;

/**
 * The one table that turns what a view throws into the errno a FUSE callback returns (negated by
 * the caller). Stateless, thread-safe.
 */
final class ErrnoTable {
    private ErrnoTable() {
    }

    /** The errno for {@code t}; anything unexpected is EIO. */
    static int errno(Throwable t) {
        if (t instanceof NoSuchFileException) {
            return ErrorCodes.ENOENT();
        }
        if (t instanceof FileAlreadyExistsException) {
            return ErrorCodes.EEXIST();
        }
        if (t instanceof DirectoryNotEmptyException) {
            return ErrorCodes.ENOTEMPTY();
        }
        if (t instanceof NotDirectoryException) {
            return ErrorCodes.ENOTDIR();
        }
        if (t instanceof AccessDeniedException) {
            return ErrorCodes.EACCES();
        }
        if (t instanceof ReadOnlyFileSystemException) {
            return ErrorCodes.EROFS();
        }
        if (t instanceof ClosedChannelException) {
            return ErrorCodes.EBADF();
        }
        if (t instanceof NotARegularFileException) {
            return ErrorCodes.EISDIR();
        }
        if (t instanceof NoSuchAttributeException) {
            return ErrorCodes.ENODATA();
        }
        return ErrorCodes.EIO();
    }

    /** Whether {@code t} is worth a line in the log (damage and the unexpected, not a missing name). */
    static boolean worthLogging(Throwable t) {
        return errno(t) == ErrorCodes.EIO() || t instanceof CorruptDataException || t instanceof MissingChunkException;
    }

    /** The path is not a regular file (read or open on a folder). */
    static final class NotARegularFileException extends java.io.IOException {
        NotARegularFileException(String path) {
            super(path + ": not a regular file");
        }
    }

    /** The entry has no extended attribute of that name. */
    static final class NoSuchAttributeException extends java.io.IOException {
        NoSuchAttributeException(String name) {
            super("no attribute " + name);
        }
    }
}
