package dev.strata.fuse;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.MissingChunkException;
import jnr.constants.platform.Errno;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.ReadOnlyFileSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/** Every exception a view may throw maps to the errno a program expects; the unexpected to EIO. */
class ErrnoTableTest {
    @Test
    void viewExceptionsMapToTheirErrno() {
        assertThat(ErrnoTable.errno(new NoSuchFileException("x"))).isEqualTo(Errno.ENOENT.intValue());
        assertThat(ErrnoTable.errno(new FileAlreadyExistsException("x"))).isEqualTo(Errno.EEXIST.intValue());
        assertThat(ErrnoTable.errno(new DirectoryNotEmptyException("x"))).isEqualTo(Errno.ENOTEMPTY.intValue());
        assertThat(ErrnoTable.errno(new NotDirectoryException("x"))).isEqualTo(Errno.ENOTDIR.intValue());
        assertThat(ErrnoTable.errno(new AccessDeniedException("x"))).isEqualTo(Errno.EACCES.intValue());
        assertThat(ErrnoTable.errno(new ReadOnlyFileSystemException())).isEqualTo(Errno.EROFS.intValue());
        assertThat(ErrnoTable.errno(new ClosedChannelException())).isEqualTo(Errno.EBADF.intValue());
        assertThat(ErrnoTable.errno(new ErrnoTable.NotARegularFileException("x"))).isEqualTo(Errno.EISDIR.intValue());
        assertThat(ErrnoTable.errno(new ErrnoTable.NoSuchAttributeException("user.x"))).isEqualTo(Errno.ENODATA.intValue());
    }

    @Test
    void damageAndTheUnexpectedAreEioAndLogged() {
        for (Throwable t : new Throwable[]{new CorruptDataException("pack 1234 damaged"), new MissingChunkException("chunk gone"),
                new IOException("disk"), new IllegalStateException("bug"), new OutOfMemoryError("heap"), new StackOverflowError()}) {
            assertThat(ErrnoTable.errno(t)).as(t.toString()).isEqualTo(Errno.EIO.intValue());
            assertThat(ErrnoTable.worthLogging(t)).as(t.toString()).isTrue();
        }
        assertThat(ErrnoTable.worthLogging(new NoSuchFileException("x"))).isFalse();
        assertThat(ErrnoTable.worthLogging(new ReadOnlyFileSystemException())).isFalse();
    }

    /** What the kernel asks most often and is told "not there" (a new name, security.capability) builds no stack trace. */
    @Test
    void everydayAnswers_ENOENT_ENODATA_carryNoStackTrace() {
        dev.strata.core.view.ViewNode root = new dev.strata.core.view.ViewNode() {
            @Override
            public dev.strata.core.view.Attributes attributes() {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.Optional<dev.strata.core.view.ViewNode> child(String name) {
                return java.util.Optional.empty();
            }
        };
        IOException missing = org.junit.jupiter.api.Assertions.assertThrows(NoSuchFileException.class,
                () -> new PathResolver(root).resolve("/new.txt"));
        assertThat(ErrnoTable.errno(missing)).isEqualTo(Errno.ENOENT.intValue());
        assertThat(missing.getStackTrace()).isEmpty();
        IOException noAttribute = new ErrnoTable.NoSuchAttributeException("security.capability");
        assertThat(ErrnoTable.errno(noAttribute)).isEqualTo(Errno.ENODATA.intValue());
        assertThat(noAttribute.getStackTrace()).isEmpty();
    }
}
