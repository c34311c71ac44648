package dev.strata.core.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

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
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(SecureRandom::new);

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
     */
    public byte[] open(byte[] envelope, int offset, int length, byte[] aad) throws AEADBadTagException {
        if (length < OVERHEAD) {
            throw new AEADBadTagException("envelope of " + length + " bytes is shorter than its overhead");
        }
        Cipher c = CIPHERS.get();
        try {
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, envelope, offset, NONCE_LENGTH));
            c.updateAAD(aad);
            return c.doFinal(envelope, offset + NONCE_LENGTH, length - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            AEADBadTagException bad = new AEADBadTagException("AES-GCM decryption failed: " + e.getMessage());
            bad.initCause(e);
            throw bad;
        }
    }

    public byte[] open(byte[] envelope, byte[] aad) throws AEADBadTagException {
        return open(envelope, 0, envelope.length, aad);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES/GCM/NoPadding", e);
        }
    }
}
