package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Checks the errno to exception table. */
class ErrnoTest {
    private static final Path PATH = Path.of("/some/file");

    @Test
    void toException_mapsEachErrnoToTheJdkException() {
        assertThat(Errno.toException(Errno.ENOENT, PATH, "r")).isInstanceOf(NoSuchFileException.class);
        assertThat(Errno.toException(Errno.EACCES, PATH, "r")).isInstanceOf(AccessDeniedException.class);
        assertThat(Errno.toException(Errno.EPERM, PATH, "r")).isInstanceOf(AccessDeniedException.class);
        assertThat(Errno.toException(Errno.EEXIST, PATH, "r")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Errno.toException(Errno.ENOTDIR, PATH, "r")).isInstanceOf(NotDirectoryException.class);
        assertThat(Errno.toException(Errno.ENOTEMPTY, PATH, "r")).isInstanceOf(DirectoryNotEmptyException.class);
        assertThat(Errno.toException(Errno.ENODATA, PATH, "r")).isExactlyInstanceOf(FileSystemException.class);
    }

    @Test
    void toException_keepsThePathAsFileAndTheReasonInTheMessage() {
        IOException e = Errno.toException(Errno.EACCES, PATH, "chmod: Permission denied");

        assertThat(((FileSystemException) e).getFile()).isEqualTo("/some/file");
        assertThat(e).hasMessage("/some/file: chmod: Permission denied");
    }

    @Test
    void toException_withoutReasonParameter_keepsTheReasonAsCause() {
        IOException e = Errno.toException(Errno.ENOTEMPTY, PATH, "rmdir: Directory not empty");

        assertThat(((FileSystemException) e).getFile()).isEqualTo("/some/file");
        assertThat(e.getCause()).hasMessageContaining("rmdir: Directory not empty");
    }
}
