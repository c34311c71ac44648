package dev.strata.core.crypto;

import org.bouncycastle.crypto.modes.gcm.GCMUtil;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Examines an AES-256-GCM envelope whose start is known but whose length is not, as in a pack whose
 * table is lost: decrypts its leading bytes (AES-CTR from GCM's first data counter) and tells whether
 * the envelope would authenticate if it ended after a given number of ciphertext bytes, for many
 * candidate lengths at a small cost each. GHASH is linear, so the hash of the ciphertext's whole
 * blocks is carried from one candidate to the next and only the associated data, the last partial
 * block and the length block are hashed per candidate; a match is exactly GCM's own tag check.
 * Nothing is ever encrypted under the envelope's nonce. Confined to one thread.
 */
public final class EnvelopeProbe {
    private static final int NONCE = Aes256GcmCipher.NONCE_LENGTH;
    private static final int TAG = Aes256GcmCipher.TAG_LENGTH;
    private static final int DECRYPT_STEP = 64 * 1024;

    private final SecretKey key;
    private final Cipher ecb;
    private final Cipher ctr;
    /** The hash key H = E(0^128). */
    private final long[] h;

    private byte[] buf;
    private int envelope;
    private int available;
    private final byte[] nonce = new byte[NONCE];
    private final byte[] tagMask = new byte[TAG];
    private byte[] plain = new byte[DECRYPT_STEP];
    private int decrypted;

    /** Hash of the first {@code blocks} whole ciphertext blocks (Horner from zero), and H^blocks. */
    private int blocks;
    private final long[] q = new long[2];
    private final long[] hPower = new long[2];
    private final GhashTable hTable;
    private final long[] qc = new long[2];
    private final long[] power = new long[2];
    private final long[] y = new long[2];
    private final byte[] scratch = new byte[16];

    EnvelopeProbe(SecretKey key) {
        this.key = key;
        try {
            this.ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, key);
            this.ctr = Cipher.getInstance("AES/CTR/NoPadding");
            this.h = GCMUtil.asLongs(ecb.doFinal(new byte[16]));
            this.hTable = new GhashTable(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES", e);
        }
    }

    /**
     * Looks at the envelope starting at {@code buf[offset]}; at most {@code available} bytes from
     * there belong to it or to what follows. The array is read, never written.
     */
    public void start(byte[] buf, int offset, int available) {
        this.buf = buf;
        this.envelope = offset;
        this.available = available;
        System.arraycopy(buf, offset, nonce, 0, NONCE);
        byte[] j0 = Arrays.copyOf(nonce, 16);
        j0[15] = 1;
        encryptBlock(j0, tagMask);
        decrypted = 0;
        resetHash();
    }

    /** The most ciphertext bytes this envelope can have: what is available, less nonce and tag. */
    public int maxTextLength() {
        return Math.max(0, available - NONCE - TAG);
    }

    /**
     * The plaintext of the first {@code length} ciphertext bytes, unauthenticated: valid until the next
     * {@link #start}, and only to be trusted once {@link #authenticates} says so.
     */
    public byte[] plaintext(int length) {
        if (length > maxTextLength()) {
            throw new IllegalArgumentException("the envelope has room for at most " + maxTextLength() + " bytes of text");
        }
        if (length > decrypted) {
            decryptTo(Math.min(maxTextLength(), Math.max(length, decrypted + DECRYPT_STEP)));
        }
        return plain;
    }

    /** The first 16 plaintext bytes of an envelope starting at {@code offset}, without disturbing the current one. */
    public byte[] firstBlock(byte[] data, int offset) {
        byte[] counter = Arrays.copyOfRange(data, offset, offset + 16);
        counter[12] = 0;
        counter[13] = 0;
        counter[14] = 0;
        counter[15] = 2;
        byte[] out = new byte[16];
        encryptBlock(counter, out);
        for (int i = 0; i < 16 && offset + NONCE + i < data.length; i++) {
            out[i] ^= data[offset + NONCE + i];
        }
        return out;
    }

    /**
     * Whether the envelope, ending after {@code textLength} ciphertext bytes (its tag in the 16 bytes
     * after them), authenticates with associated data {@code aad}. Cheapest when called with rising
     * lengths.
     */
    public boolean authenticates(int textLength, byte[] aad) {
        if (textLength < 0 || textLength > maxTextLength()) {
            return false;
        }
        int whole = textLength / 16;
        if (whole < blocks) {
            resetHash();
        }
        int text = envelope + NONCE;
        while (blocks < whole) {
            // q = (q ^ C_k) * H; hPower *= H
            q[0] ^= longAt(buf, text + 16 * blocks);
            q[1] ^= longAt(buf, text + 16 * blocks + 8);
            hTable.multiply(q);
            hTable.multiply(hPower);
            blocks++;
        }
        qc[0] = q[0];
        qc[1] = q[1];
        power[0] = hPower[0];
        power[1] = hPower[1];
        int rest = textLength - 16 * whole;
        if (rest > 0) {
            Arrays.fill(scratch, (byte) 0);
            System.arraycopy(buf, text + 16 * whole, scratch, 0, rest);
            qc[0] ^= longAt(scratch, 0);
            qc[1] ^= longAt(scratch, 8);
            hTable.multiply(qc);
            hTable.multiply(power);
        }
        // GHASH = ((hash of A, padded) * H^c ^ q_c ^ lengths) * H, with A hashed by Horner.
        y[0] = 0;
        y[1] = 0;
        for (int from = 0; from < aad.length; from += 16) {
            Arrays.fill(scratch, (byte) 0);
            System.arraycopy(aad, from, scratch, 0, Math.min(16, aad.length - from));
            y[0] ^= longAt(scratch, 0);
            y[1] ^= longAt(scratch, 8);
            hTable.multiply(y);
        }
        GCMUtil.multiply(y, power);
        y[0] ^= qc[0] ^ (long) aad.length * 8;
        y[1] ^= qc[1] ^ (long) textLength * 8;
        hTable.multiply(y);
        int tagAt = text + textLength;
        return (y[0] ^ longAt(tagMask, 0) ^ longAt(buf, tagAt)) == 0
                && (y[1] ^ longAt(tagMask, 8) ^ longAt(buf, tagAt + 8)) == 0;
    }

    /** Big-endian: GCM's field elements as Bouncy Castle's {@link GCMUtil#asLongs} reads them. */
    private static long longAt(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private void resetHash() {
        blocks = 0;
        q[0] = 0;
        q[1] = 0;
        long[] one = GCMUtil.oneAsLongs();
        hPower[0] = one[0];
        hPower[1] = one[1];
    }

    private void decryptTo(int length) {
        if (plain.length < length) {
            plain = Arrays.copyOf(plain, Math.max(length, 2 * plain.length));
        }
        byte[] counter = Arrays.copyOf(nonce, 16);
        int firstBlock = decrypted / 16;
        putInt(counter, 12, 2 + firstBlock);
        try {
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(counter));
            int from = firstBlock * 16;
            ctr.doFinal(buf, envelope + NONCE + from, length - from, plain, from);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
        decrypted = length;
    }

    private void encryptBlock(byte[] in, byte[] out) {
        try {
            ecb.doFinal(in, 0, 16, out, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES failed", e);
        }
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 3; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
