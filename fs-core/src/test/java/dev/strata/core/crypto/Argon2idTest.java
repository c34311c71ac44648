package dev.strata.core.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Argon2idTest {
    private static final byte[] SOMESALT = "somesalt".getBytes(StandardCharsets.US_ASCII);

    @Test
    void derive_matchesTheReferenceImplementationsVectors() {
        // phc-winner-argon2 src/test.c, Argon2id version 0x13, password "password", salt "somesalt".
        assertArrayEquals(HexFormat.of().parseHex("9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe"),
                Argon2id.derive("password".toCharArray(), SOMESALT, new KdfParams(256, 2, 1)));
        assertArrayEquals(HexFormat.of().parseHex("6d093c501fd5999645e0ea3bf620d7b8be7fd2db59c20d9fff9539da2bf57037"),
                Argon2id.derive("password".toCharArray(), SOMESALT, new KdfParams(256, 2, 2)));
    }

    @Test
    void derive_encodesThePasswordAsUtf8() {
        String password = "pässwörd ✓ 𝄞";
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(SOMESALT)
                .withMemoryAsKB(64).withIterations(1).withParallelism(1).build());
        byte[] expected = new byte[32];
        gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), expected);
        assertArrayEquals(expected, Argon2id.derive(password.toCharArray(), SOMESALT, new KdfParams(64, 1, 1)));
    }

    @Test
    void derive_dependsOnEveryInput() {
        KdfParams p = new KdfParams(64, 1, 1);
        byte[] base = Argon2id.derive("pw".toCharArray(), SOMESALT, p);
        assertEquals(Argon2id.KEY_LENGTH, base.length);
        assertArrayEquals(base, Argon2id.derive("pw".toCharArray(), SOMESALT.clone(), p));
        assertFalse(Arrays.equals(base, Argon2id.derive("pW".toCharArray(), SOMESALT, p)));
        assertFalse(Arrays.equals(base, Argon2id.derive("pw".toCharArray(), "somesalT".getBytes(StandardCharsets.US_ASCII), p)));
        assertFalse(Arrays.equals(base, Argon2id.derive("pw".toCharArray(), SOMESALT, new KdfParams(72, 1, 1))));
        assertFalse(Arrays.equals(base, Argon2id.derive("pw".toCharArray(), SOMESALT, new KdfParams(64, 2, 1))));
        assertFalse(Arrays.equals(base, Argon2id.derive("pw".toCharArray(), SOMESALT, new KdfParams(64, 1, 2))));
    }

    @Test
    void kdfParams_rejectWhatArgon2Refuses() {
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(7, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(15, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(64, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(64, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(64, 1001, 1));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(64 * 65, 1, 65));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(4 * 1024 * 1024 + 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(1024 * 1024 + 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(4 * 1024 * 1024, 1000, 1));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(1024 * 1024, 33, 1));
        assertThrows(IllegalArgumentException.class, () -> new KdfParams(8 * 17, 1, 17));
        new KdfParams(1024 * 1024, 32, 1);
        new KdfParams(64 * 1024, 100, 1);
        new KdfParams(16, 1, 2);
        new KdfParams(8, 1, 1);
    }
}
