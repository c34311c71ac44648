package dev.strata.core.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The system's libargon2 and Bouncy Castle derive the same keys, so a repository opens with either. */
class NativeArgon2Test {
    @Test
    void theLibraryIsThereOnDebian() {
        // tools/run-tests installs libargon2-1; without it keys still derive, only slower.
        Assumptions.assumeTrue(new java.io.File("/usr/bin/apt-get").exists());
        assertThat(NativeArgon2.available()).isTrue();
    }

    @Property(tries = 20)
    void nativeEqualsJava(@ForAll @Size(max = 40) byte[] password, @ForAll @Size(min = 8, max = 32) byte[] salt,
                          @ForAll @IntRange(min = 8, max = 256) int memoryKiB, @ForAll @IntRange(min = 1, max = 4) int iterations,
                          @ForAll @IntRange(min = 1, max = 2) int parallelism) {
        Assumptions.assumeTrue(NativeArgon2.available());
        KdfParams p = new KdfParams(Math.max(memoryKiB, 8 * parallelism), iterations, parallelism);
        byte[] viaC = new byte[32];
        byte[] viaJava = new byte[32];
        assertThat(NativeArgon2.derive(password, salt, p, viaC)).isTrue();
        Argon2id.deriveInJava(password, salt, p, viaJava);
        assertThat(viaC).isEqualTo(viaJava);
    }
}
