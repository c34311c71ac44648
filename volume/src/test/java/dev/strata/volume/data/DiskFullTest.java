package dev.strata.volume.data;

import dev.strata.core.view.PosixError;
import dev.strata.core.view.PosixException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DiskFullTest {
    @TempDir
    Path dir;

    @Test
    void theJdksFullDiskError_becomesEnospc() {
        IOException e = DiskFull.translate(new IOException("No space left on device"), dir);
        assertThat(e).isInstanceOf(PosixException.class);
        assertThat(((PosixException) e).error()).isEqualTo(PosixError.ENOSPC);
        assertThat(e.getCause()).hasMessage("No space left on device");
    }

    @Test
    void otherErrors_onADiskWithRoom_stayAsTheyAre() {
        IOException other = new IOException("Input/output error");
        assertThat(DiskFull.translate(other, dir)).isSameAs(other);
        PosixException posix = new PosixException(PosixError.EBADF, "closed");
        assertThat(DiskFull.translate(posix, dir)).isSameAs(posix);
    }
}
