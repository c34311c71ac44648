package dev.strata.core.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * AES-256-GCM envelopes through the JDK (its AES-NI and carry-less multiply intrinsics):
 * {@code nonce (12) ‖ ciphertext ‖ tag (16)}, with a fresh random nonce per envelope
 * (docs/format.md §2.3). Thread-safe: each thread uses its own {@link Cipher}.
 */
public final class Aes256GcmCipher {
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    /** Bytes an envelope adds to its plaintext. */
    public static final int OVERHEAD = NONCE_LENGTH + TAG_LENGTH;
    /**
     * Plaintext handed to the JDK per {@code update} when sealing. JDK 17 uses its AES-CTR and GHASH
     * intrinsics only once their callers are C2-compiled, which takes thousands of calls: sealing a
     * 1 MiB chunk in one {@code doFinal} stays at ~20 MB/s for minutes, in slices it reaches the
     * intrinsics after a few tens of MiB. The envelope is the same either way.
     */
    static final int SEAL_SLICE = 8 * 1024;

    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(Aes256GcmCipher::newCipher);
    /** Separate from {@link #CIPHERS}: opening re-seals with the envelope's nonce (see {@link #open}). */
    private static final ThreadLocal<Cipher> VERIFIERS = ThreadLocal.withInitial(Aes256GcmCipher::newCipher);
    private static final ThreadLocal<Cipher> COUNTERS = ThreadLocal.withInitial(Aes256GcmCipher::newCounterCipher);
    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1][0]);
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

    /** Set once the JIT warm-up has been started (see {@link #warmUpOnFirstLargeEnvelope}). */
    private static final java.util.concurrent.atomic.AtomicBoolean WARMING = new java.util.concurrent.atomic.AtomicBoolean();
    private static final int WARM_UP_FROM = 64 * 1024;
    /** Calls of 64 bytes each in the background warm-up, the first large envelope starts. */
    private static final int WARM_UP_CALLS = 32 * 1024;
    /**
     * Calls in {@link #warmUpNow}: enough for C2 to take the cipher's methods under the strata JVMs'
     * raised thresholds (tools/launcher), which {@link #WARM_UP_CALLS} is not. Measured in a JVM with
     * those flags: after 32K calls a 1 MiB chunk still took 70-95 ms to open, after 128K of 16 bytes
     * (0.8 s) 5-10 ms once the compilations queued had landed.
     */
    private static final int WARM_UP_NOW_CALLS = 128 * 1024;

    private final SecretKey key;

    public Aes256GcmCipher(SecretKey key) {
        if (key.getEncoded().length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key");
        }
        this.key = key;
    }

    /** Seals {@code plaintext[offset, offset+length)} with the given associated data. */
    public byte[] seal(byte[] plaintext, int offset, int length, byte[] aad) {
        byte[] out = new byte[OVERHEAD + length];
        sealInto(plaintext, offset, length, aad, out, 0);
        return out;
    }

    public byte[] seal(byte[] plaintext, byte[] aad) {
        return seal(plaintext, 0, plaintext.length, aad);
    }

    /** Seals into {@code out} at {@code outOffset}, which must have room for {@code length + OVERHEAD} bytes. */
    public void sealInto(byte[] plaintext, int offset, int length, byte[] aad, byte[] out, int outOffset) {
        warmUpOnFirstLargeEnvelope(length);
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.get().nextBytes(nonce);
        System.arraycopy(nonce, 0, out, outOffset, NONCE_LENGTH);
        Cipher c = CIPHERS.get();
        try {
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            c.updateAAD(aad);
            int in = offset;
            int end = offset + length;
            int o = outOffset + NONCE_LENGTH;
            while (end - in > SEAL_SLICE) {
                o += c.update(plaintext, in, SEAL_SLICE, out, o);
                in += SEAL_SLICE;
            }
            c.doFinal(plaintext, in, end - in, out, o);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Opens an envelope. Throws {@link AEADBadTagException} when the envelope, the key or the
     * associated data do not match; callers turn that into an error naming the blob.
     *
     * <p>Why not one {@code doFinal} in decrypt mode: JDK 17 buffers GCM ciphertext until
     * {@code doFinal} and then runs its AES-CTR and GHASH loops without the intrinsics (measured
     * here: 10-90 MB/s for 1 MiB chunks, for as long as the process runs), which made every restore
     * and every read through the mount crawl. So the same GCM verification is done with the fast
     * paths: AES-CTR from GCM's first data counter recovers the plaintext P, then sealing P again
     * with the envelope's nonce and associated data (in slices, the path that reaches the
     * intrinsics) yields the ciphertext C again, since C = P xor keystream, and the tag GCM defines
     * over C. The plaintext is released only if that tag equals the envelope's, compared in
     * constant time: exactly GCM's check, and nothing new is ever encrypted under the nonce.
     */
    public byte[] open(byte[] envelope, int offset, int length, byte[] aad) throws AEADBadTagException {
        if (length < OVERHEAD) {
            throw new AEADBadTagException("envelope of " + length + " bytes is shorter than its overhead");
        }
        int textLength = length - OVERHEAD;
        warmUpOnFirstLargeEnvelope(textLength);
        byte[] nonce = Arrays.copyOfRange(envelope, offset, offset + NONCE_LENGTH);
        byte[] plain = new byte[textLength];
        try {
            counterMode(nonce, envelope, offset + NONCE_LENGTH, textLength, plain);
            byte[] resealed = scratch(textLength + TAG_LENGTH);
            reseal(nonce, plain, aad, resealed);
            if (!MessageDigest.isEqual(Arrays.copyOfRange(resealed, textLength, textLength + TAG_LENGTH),
                    Arrays.copyOfRange(envelope, offset + NONCE_LENGTH + textLength, offset + length))) {
                Arrays.fill(plain, (byte) 0);
                throw new AEADBadTagException("Tag mismatch");
            }
            return plain;
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            AEADBadTagException bad = new AEADBadTagException("AES-GCM decryption failed: " + e.getMessage());
            bad.initCause(e);
            throw bad;
        }
    }

    /** AES-CTR from GCM's first data block, inc32(nonce ‖ 0…01) = nonce ‖ 0…02, in slices. */
    private void counterMode(byte[] nonce, byte[] in, int inOffset, int length, byte[] out) throws GeneralSecurityException {
        byte[] counter = new byte[16];
        System.arraycopy(nonce, 0, counter, 0, NONCE_LENGTH);
        counter[15] = 2;
        // GCM increments only the low 32 bits, the JDK's CTR all 128: the same for chunks below 64 GiB.
        Cipher ctr = COUNTERS.get();
        ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counter));
        int done = 0;
        while (length - done > SEAL_SLICE) {
            done += ctr.update(in, inOffset + done, SEAL_SLICE, out, done);
        }
        ctr.doFinal(in, inOffset + done, length - done, out, done);
    }

    private void reseal(byte[] nonce, byte[] plain, byte[] aad, byte[] out) throws GeneralSecurityException {
        Cipher c = VERIFIERS.get();
        GCMParameterSpec spec = new GCMParameterSpec(TAG_LENGTH * 8, nonce);
        try {
            c.init(Cipher.ENCRYPT_MODE, key, spec);
        } catch (InvalidAlgorithmParameterException sameNonceAsLastTime) {
            // The JDK refuses two encryptions in a row under one nonce (the same chunk opened twice
            // in a row). Re-sealing the same plaintext is no reuse; point it elsewhere, then back.
            byte[] other = nonce.clone();
            other[0] ^= 1;
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, other));
            c.init(Cipher.ENCRYPT_MODE, key, spec);
        }
        c.updateAAD(aad);
        int in = 0;
        int o = 0;
        while (plain.length - in > SEAL_SLICE) {
            o += c.update(plain, in, SEAL_SLICE, out, o);
            in += SEAL_SLICE;
        }
        c.doFinal(plain, in, plain.length - in, out, o);
    }

    /**
     * The first large envelope of a process starts a background warm-up: JDK 17 switches to its
     * AES-CTR and GHASH intrinsics only once its own cipher methods are C2-compiled, after some
     * 30,000 calls. Tiny calls get there in well under a second of one thread; real chunks alone
     * would crawl through the first ~100 MiB of a restore or a mounted read. Short commands that
     * never touch a large chunk never pay for it.
     */
    private static void warmUpOnFirstLargeEnvelope(int length) {
        if (length < WARM_UP_FROM || WARMING.get() || !WARMING.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> warmUp(WARM_UP_CALLS, 64), "strata-crypto-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * Warms the cipher up in the calling thread, unless a warm-up has started already: for a process
     * that opens chunks from its first request on (a mount, before it is reported ready), which would
     * otherwise open them without the intrinsics for its first seconds (a {@code find} over a browsed
     * image opens some 20 chunks of 1 MiB, at about 75 ms each). Many small calls, since C2 counts calls.
     */
    public static void warmUpNow() {
        if (WARMING.compareAndSet(false, true)) {
            warmUp(WARM_UP_NOW_CALLS, 16);
        }
    }

    private static void warmUp(int calls, int length) {
        try {
            byte[] keyBytes = new byte[32];
            RANDOM.get().nextBytes(keyBytes);
            javax.crypto.spec.SecretKeySpec throwaway = new javax.crypto.spec.SecretKeySpec(keyBytes, "AES");
            Cipher gcm = newCipher();
            Cipher ctr = newCounterCipher();
            byte[] in = new byte[length];
            byte[] out = new byte[length + TAG_LENGTH];
            byte[] nonce = new byte[NONCE_LENGTH];
            for (int round = 0; round < calls / 64; round++) {
                RANDOM.get().nextBytes(nonce);
                gcm.init(Cipher.ENCRYPT_MODE, throwaway, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
                ctr.init(Cipher.ENCRYPT_MODE, throwaway, new IvParameterSpec(new byte[16]));
                for (int i = 0; i < 63; i++) {
                    gcm.update(in, 0, in.length, out, 0);
                    ctr.update(in, 0, in.length, out, 0);
                }
                gcm.doFinal(in, 0, in.length, out, 0);
                ctr.doFinal(in, 0, in.length, out, 0);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // Only speed is at stake: the real calls work the same, just slower until the JIT catches up.
        }
    }

    private static byte[] scratch(int length) {
        byte[][] holder = SCRATCH.get();
        if (holder[0].length < length) {
            holder[0] = new byte[Math.max(length, 2 * holder[0].length)];
        }
        return holder[0];
    }

    /** A probe for envelopes under this key whose length is unknown (salvaging a pack without its table). */
    public EnvelopeProbe probe() {
        return new EnvelopeProbe(key);
    }

    public byte[] open(byte[] envelope, byte[] aad) throws AEADBadTagException {
        return open(envelope, 0, envelope.length, aad);
    }

    private static Cipher newCounterCipher() {
        try {
            return Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/CTR/NoPadding", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
        }
    }
}
