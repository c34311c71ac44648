package dev.strata.core.crypto;

import jnr.ffi.LibraryLoader;

import java.util.Optional;

/**
 * Argon2id from the reference C library (Debian's libargon2-1, present on nearly every system as a
 * dependency of cryptsetup and systemd). Same function, same output as the Java implementation
 * (RFC 9106); it matters because every command derives a key when it opens a repository, and the
 * Java implementation runs cold in a fresh JVM: several times slower than its calibrated speed.
 * Thread-safe.
 */
final class NativeArgon2 {
    /** The part of argon2.h used here. */
    public interface LibArgon2 {
        int argon2id_hash_raw(int tCost, int mCost, int parallelism, byte[] pwd, long pwdlen, byte[] salt, long saltlen,
                              byte[] hash, long hashlen);
    }

    private static final int ARGON2_OK = 0;
    private static final Optional<LibArgon2> LIB = load();

    private NativeArgon2() {
    }

    private static Optional<LibArgon2> load() {
        if (Boolean.getBoolean("strata.argon2.java")) {
            return Optional.empty();
        }
        for (String name : new String[]{"argon2", "libargon2.so.1"}) {
            try {
                return Optional.of(LibraryLoader.create(LibArgon2.class).failImmediately().load(name));
            } catch (Throwable notThere) {
                // Try the next name, then fall back to the Java implementation.
            }
        }
        return Optional.empty();
    }

    static boolean available() {
        return LIB.isPresent();
    }

    /** Derives {@code out.length} bytes; false if the library is missing or refuses the parameters. */
    static boolean derive(byte[] password, byte[] salt, KdfParams p, byte[] out) {
        if (LIB.isEmpty()) {
            return false;
        }
        int rc = LIB.get().argon2id_hash_raw(p.iterations(), p.memoryKiB(), p.parallelism(), password, password.length,
                salt, salt.length, out, out.length);
        return rc == ARGON2_OK;
    }
}
