package dev.strata.core.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded keys and bytes for the crypto tests, and an independent HKDF-SHA-256 to check derivations against. */
final class CryptoTestData {
    private CryptoTestData() {
    }

    static byte[] bytes(long seed, int length) {
        byte[] out = new byte[length];
        new SplittableRandom(seed).nextBytes(out);
        return out;
    }

    static MasterKey masterKey(long seed) {
        return MasterKey.of(bytes(seed, MasterKey.SECRET_LENGTH), bytes(~seed, MasterKey.REPOSITORY_ID_LENGTH));
    }

    /** RFC 5869 written out with the JDK's HmacSHA256, independent of the Bouncy Castle code under test. */
    static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            ByteArrayOutputStream okm = new ByteArrayOutputStream();
            byte[] t = new byte[0];
            for (int i = 1; okm.size() < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                okm.write(t, 0, t.length);
            }
            return Arrays.copyOf(okm.toByteArray(), length);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] hkdf(byte[] ikm, byte[] salt, String info, int length) {
        return hkdf(ikm, salt, info.getBytes(StandardCharsets.US_ASCII), length);
    }
}
