package dev.strata.core.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Password-based key derivation with Argon2id (RFC 9106): the system's libargon2 when it is
 * installed, else Bouncy Castle; both give the same bytes. Thread-safe (stateless).
 */
public final class Argon2id {
    public static final int KEY_LENGTH = 32;

    private Argon2id() {
    }

    public static byte[] derive(char[] password, byte[] salt, KdfParams params) {
        byte[] pw = utf8(password);
        byte[] out = new byte[KEY_LENGTH];
        try {
            if (!NativeArgon2.derive(pw, salt, params, out)) {
                deriveInJava(pw, salt, params, out);
            }
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
        return out;
    }

    /** The Bouncy Castle implementation (also the reference the native one is tested against). */
    static void deriveInJava(byte[] pw, byte[] salt, KdfParams params, byte[] out) {
        Argon2Parameters p = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(p);
        gen.generateBytes(pw, out);
    }

    /**
     * Picks the iterations (at least {@link KdfParams#MIN_ITERATIONS}) at {@link KdfParams#DEFAULT_MEMORY_KIB}
     * that take about {@code target} on this machine, by timing one pass as a fresh process runs it
     * (the native library, or the Java one before the JIT has warmed up, as when a command starts).
     */
    public static KdfParams calibrate(Duration target) {
        KdfParams probe = new KdfParams(KdfParams.DEFAULT_MEMORY_KIB, 1, 1);
        byte[] salt = new byte[16];
        long start = System.nanoTime();
        derive("calibration".toCharArray(), salt, probe);
        long perPass = Math.max(1, System.nanoTime() - start);
        int iterations = (int) Math.max(KdfParams.MIN_ITERATIONS,
                Math.min(KdfParams.MAX_CALIBRATED_ITERATIONS, target.toNanos() / perPass));
        return new KdfParams(KdfParams.DEFAULT_MEMORY_KIB, iterations, 1);
    }

    private static byte[] utf8(char[] password) {
        var buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        if (buf.hasArray()) {
            Arrays.fill(buf.array(), (byte) 0);
        }
        return out;
    }
}
