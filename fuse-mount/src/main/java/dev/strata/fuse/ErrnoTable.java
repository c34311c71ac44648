package dev.strata.fuse;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.MissingChunkException;
import dev.strata.core.view.PosixError;
import dev.strata.core.view.PosixException;
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
        if (t instanceof PosixException p) {
            return errno(p.error());
        }
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

    /** The errno of a POSIX error a view named. */
    static int errno(PosixError e) {
        return switch (e) {
            case EPERM -> ErrorCodes.EPERM();
            case ENOENT -> ErrorCodes.ENOENT();
            case EIO -> ErrorCodes.EIO();
            case EBADF -> ErrorCodes.EBADF();
            case EACCES -> ErrorCodes.EACCES();
            case EEXIST -> ErrorCodes.EEXIST();
            case EXDEV -> ErrorCodes.EXDEV();
            case ENOTDIR -> ErrorCodes.ENOTDIR();
            case EISDIR -> ErrorCodes.EISDIR();
            case EINVAL -> ErrorCodes.EINVAL();
            case EFBIG -> ErrorCodes.EFBIG();
            case ENOSPC -> ErrorCodes.ENOSPC();
            case EROFS -> ErrorCodes.EROFS();
            case EMLINK -> ErrorCodes.EMLINK();
            case ERANGE -> ErrorCodes.ERANGE();
            case ENAMETOOLONG -> ErrorCodes.ENAMETOOLONG();
            case ENOTEMPTY -> ErrorCodes.ENOTEMPTY();
            case ENODATA -> ErrorCodes.ENODATA();
            case ENOTSUP -> ErrorCodes.ENOTSUP();
            case E2BIG -> ErrorCodes.E2BIG();
        };
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
    /**
     * No such extended attribute: an everyday answer (the kernel asks for security.capability at every
     * write to a file), so it costs no stack trace.
     */
    static final class NoSuchAttributeException extends java.io.IOException {
        NoSuchAttributeException(String name) {
            super("no attribute " + name);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
