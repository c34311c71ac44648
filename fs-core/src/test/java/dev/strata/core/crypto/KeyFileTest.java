package dev.strata.core.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.UnsupportedFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFileTest {
    /** Cheap Argon2 cost for tests: 64 KiB, one pass, one lane. */
    private static final KdfParams CHEAP = new KdfParams(64, 1, 1);
    private static final Instant CREATED = Instant.parse("2026-11-26T10:20:30.123456789Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MasterKey master = CryptoTestData.masterKey(42);
    private final KeyFile keyFile = KeyFile.create(master, "correct horse".toCharArray(), CHEAP, CREATED, "laptop", "ana");

    @Test
    void createOpen_roundTripsTheMasterKey() throws CorruptDataException {
        Optional<MasterKey> opened = keyFile.open("correct horse".toCharArray(), master.repositoryId());
        assertTrue(opened.isPresent());
        assertEquals(master, opened.get());
        assertArrayEquals(master.gearTable(), opened.get().gearTable());
    }

    @Test
    void open_wrongPassword_isEmpty() throws CorruptDataException {
        assertEquals(Optional.empty(), keyFile.open("correct horsf".toCharArray(), master.repositoryId()));
        assertEquals(Optional.empty(), keyFile.open(new char[0], master.repositoryId()));
    }

    @Test
    void open_keyFileOfAnotherRepository_throwsCorruptData() {
        byte[] otherId = master.repositoryId();
        otherId[0] ^= 1;
        assertThrows(CorruptDataException.class, () -> keyFile.open("correct horse".toCharArray(), otherId));
    }

    @Test
    void open_damagedSealedBox_isTreatedLikeAWrongPassword() throws CorruptDataException {
        byte[] sealed = keyFile.sealed().clone();
        sealed[30] ^= 1;
        KeyFile damaged = new KeyFile(CREATED, "laptop", "ana", CHEAP, keyFile.salt(), sealed);
        assertEquals(Optional.empty(), damaged.open("correct horse".toCharArray(), master.repositoryId()));
    }

    @Test
    void createOpen_unicodeAndEmptyPasswords() throws CorruptDataException {
        for (String pw : new String[] {"", "пароль 🔑", "naïve"}) {
            KeyFile k = KeyFile.create(master, pw.toCharArray(), CHEAP, CREATED, "h", "u");
            assertEquals(Optional.of(master), k.open(pw.toCharArray(), master.repositoryId()), pw);
        }
    }

    @Test
    void create_usesAFreshSaltAndNonceEachTime() {
        KeyFile again = KeyFile.create(master, "correct horse".toCharArray(), CHEAP, CREATED, "laptop", "ana");
        assertFalse(Arrays.equals(keyFile.salt(), again.salt()));
        assertFalse(Arrays.equals(keyFile.sealed(), again.sealed()));
        assertNotEquals(keyFile, again);
    }

    @Test
    void toJsonParse_roundTripsEveryField() throws IOException {
        KeyFile parsed = KeyFile.parse(keyFile.toJson(), "k1");
        assertEquals(CREATED, parsed.created());
        assertEquals("laptop", parsed.host());
        assertEquals("ana", parsed.user());
        assertEquals(CHEAP, parsed.kdf());
        assertArrayEquals(keyFile.salt(), parsed.salt());
        assertArrayEquals(keyFile.sealed(), parsed.sealed());
        assertEquals(keyFile, parsed);
        assertEquals(Optional.of(master), parsed.open("correct horse".toCharArray(), master.repositoryId()));
    }

    /** docs/format.md §3, field by field, and the sealed box opened without KeyFile's help. */
    @Test
    void toJson_isTheDocumentedFormat() throws Exception {
        JsonNode root = JSON.readTree(keyFile.toJson());
        assertEquals("strata-key", root.get("format").asText());
        assertEquals(1, root.get("version").asInt());
        assertEquals(CREATED, Instant.parse(root.get("created").asText()));
        assertEquals("laptop", root.get("host").asText());
        assertEquals("ana", root.get("user").asText());
        JsonNode kdf = root.get("kdf");
        assertEquals("argon2id", kdf.get("algorithm").asText());
        assertEquals(64, kdf.get("memoryKiB").asInt());
        assertEquals(1, kdf.get("iterations").asInt());
        assertEquals(1, kdf.get("parallelism").asInt());
        byte[] salt = Base64.getDecoder().decode(kdf.get("salt").asText());
        assertEquals(16, salt.length);
        byte[] sealed = Base64.getDecoder().decode(root.get("sealed").asText());
        assertEquals(Aes256GcmCipher.OVERHEAD + 80, sealed.length);

        byte[] kek = Argon2id.derive("correct horse".toCharArray(), salt, CHEAP);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
        jdk.updateAAD("strata-key/v1".getBytes(StandardCharsets.US_ASCII));
        byte[] plain = jdk.doFinal(sealed, 12, sealed.length - 12);
        assertArrayEquals(master.secret(), Arrays.copyOf(plain, 64));
        assertArrayEquals(master.repositoryId(), Arrays.copyOfRange(plain, 64, 80));
    }

    // ---- parse errors ----

    private ObjectNode validJson() throws IOException {
        return (ObjectNode) JSON.readTree(keyFile.toJson());
    }

    private static byte[] bytes(JsonNode node) throws IOException {
        return JSON.writeValueAsBytes(node);
    }

    private byte[] edited(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = validJson();
        edit.accept(root);
        return bytes(root);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{", "{\"format\": ", "\u0000\u0001\u0002", "[]", "42", "null", "\"strata-key\""})
    void parse_garbage_throwsCorruptDataNamingTheKeyFile(String garbage) {
        CorruptDataException e = assertThrows(CorruptDataException.class,
                () -> KeyFile.parse(garbage.getBytes(StandardCharsets.UTF_8), "0123abcd"));
        assertTrue(e.getMessage().contains("0123abcd"), e.getMessage());
    }

    @Test
    void parse_anotherFormat_throwsCorruptData() throws IOException {
        byte[] json = edited(r -> r.put("format", "strata-repository"));
        assertThrows(CorruptDataException.class, () -> KeyFile.parse(json, "k"));
        byte[] noFormat = edited(r -> r.remove("format"));
        assertThrows(CorruptDataException.class, () -> KeyFile.parse(noFormat, "k"));
    }

    @Test
    void parse_newerVersion_throwsUnsupportedFormat() throws IOException {
        byte[] json = edited(r -> r.put("version", 2));
        UnsupportedFormatException e = assertThrows(UnsupportedFormatException.class, () -> KeyFile.parse(json, "k7"));
        assertTrue(e.getMessage().contains("k7"), e.getMessage());
    }

    @Test
    void parse_unknownKdf_throwsUnsupportedFormat() throws IOException {
        byte[] json = edited(r -> ((ObjectNode) r.get("kdf")).put("algorithm", "scrypt"));
        assertThrows(UnsupportedFormatException.class, () -> KeyFile.parse(json, "k"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"created", "sealed", "kdf"})
    void parse_missingField_throwsCorruptData(String field) throws IOException {
        byte[] json = edited(r -> r.remove(field));
        assertThrows(CorruptDataException.class, () -> KeyFile.parse(json, "k"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"salt", "memoryKiB", "iterations", "parallelism"})
    void parse_missingKdfField_throwsCorruptData(String field) throws IOException {
        byte[] json = edited(r -> ((ObjectNode) r.get("kdf")).remove(field));
        assertThrows(CorruptDataException.class, () -> KeyFile.parse(json, "k"));
    }

    @Test
    void parse_damagedValues_throwCorruptData() throws IOException {
        byte[][] damaged = {
                edited(r -> r.put("sealed", "not base64!")),
                edited(r -> r.put("created", "yesterday")),
                edited(r -> ((ObjectNode) r.get("kdf")).put("salt", Base64.getEncoder().encodeToString(new byte[8]))),
                edited(r -> ((ObjectNode) r.get("kdf")).put("memoryKiB", 4)),
                edited(r -> ((ObjectNode) r.get("kdf")).put("iterations", 0)),
                edited(r -> ((ObjectNode) r.get("kdf")).put("parallelism", -1)),
        };
        for (int i = 0; i < damaged.length; i++) {
            byte[] json = damaged[i];
            assertThrows(CorruptDataException.class, () -> KeyFile.parse(json, "k"), "case " + i);
        }
    }

    @Test
    void constructor_rejectsShortSalt() {
        assertThrows(IllegalArgumentException.class,
                () -> new KeyFile(CREATED, "h", "u", CHEAP, new byte[15], keyFile.sealed()));
    }

    @Test
    void constructor_copiesItsArrays() throws CorruptDataException {
        byte[] salt = keyFile.salt();
        byte[] sealed = keyFile.sealed();
        KeyFile k = new KeyFile(CREATED, "h", "u", CHEAP, salt, sealed);
        salt[0] ^= 1;
        sealed[20] ^= 1;
        assertEquals(Optional.of(master), k.open("correct horse".toCharArray(), master.repositoryId()));
    }

    @Test
    void accessors_returnCopies_soTheKeyFileStaysImmutable() throws CorruptDataException {
        keyFile.salt()[0] ^= 1;
        keyFile.sealed()[20] ^= 1;
        assertEquals(Optional.of(master), keyFile.open("correct horse".toCharArray(), master.repositoryId()));
    }
    // ---- damaged, truncated and hostile key files (told apart from a wrong password) ----

    private byte[] withKdf(long memoryKiB, long iterations, long parallelism) throws IOException {
        return edited(r -> ((ObjectNode) r.get("kdf")).put("memoryKiB", memoryKiB).put("iterations", iterations)
                .put("parallelism", parallelism));
    }

    /** The edit the limits exist for: 4 GiB × 1000 passes would take hours per attempt. */
    @Test
    void parse_hostileCost_isRefusedNamingTheKeyFile_withoutDerivingAnything() throws IOException {
        byte[] json = withKdf(4L << 20, 1000, 1);
        long start = System.nanoTime();
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> KeyFile.parse(json, "5e11a0c3"));
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "parse must not run Argon2");
        assertTrue(e.getMessage().startsWith("key file 5e11a0c3 is damaged or hostile, so it was not tried"), e.getMessage());
        assertTrue(e.getMessage().contains("4194304 KiB"), e.getMessage());
    }

    @Test
    void parse_eachLimit_refusesJustBeyondIt_andAcceptsWhatStrataWrites() throws IOException {
        long[][] beyond = {
                {KdfParams.MAX_MEMORY_KIB + 1, 1, 1},
                {64, KdfParams.MAX_ITERATIONS + 1, 1},
                {8 * 17, 1, KdfParams.MAX_PARALLELISM + 1},
                {KdfParams.MAX_MEMORY_KIB, KdfParams.MAX_WORK_KIB / KdfParams.MAX_MEMORY_KIB + 1, 1},
                {Integer.MAX_VALUE + 1L, 1, 1},
                {64, 1L << 40, 1},
        };
        for (long[] p : beyond) {
            byte[] json = withKdf(p[0], p[1], p[2]);
            assertThrows(CorruptDataException.class, () -> KeyFile.parse(json, "k"), Arrays.toString(p));
        }
        long[][] accepted = {
                {KdfParams.DEFAULT_MEMORY_KIB, KdfParams.MAX_CALIBRATED_ITERATIONS, 1},
                {KdfParams.MAX_MEMORY_KIB, KdfParams.MAX_WORK_KIB / KdfParams.MAX_MEMORY_KIB, 1},
                {8 * 16, KdfParams.MAX_ITERATIONS, KdfParams.MAX_PARALLELISM},
        };
        for (long[] p : accepted) {
            KeyFile k = KeyFile.parse(withKdf(p[0], p[1], p[2]), "k");
            assertEquals(new KdfParams((int) p[0], (int) p[1], (int) p[2]), k.kdf());
        }
    }

    /** Cut anywhere, a key file is damaged data naming it, never a wrong password or another exception. */
    @Test
    void parse_truncatedAnywhere_throwsCorruptDataNamingTheKeyFile() throws IOException {
        byte[] whole = keyFile.toJson();
        for (int n = 0; n < whole.length; n++) {
            byte[] cut = Arrays.copyOf(whole, n);
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> KeyFile.parse(cut, "c0ffee"),
                    "cut at " + n);
            assertTrue(e.getMessage().contains("c0ffee"), e.getMessage());
        }
    }

    @Test
    void parse_shortenedSealedBox_isDamaged_notAWrongPassword() throws IOException {
        byte[] sealed = Arrays.copyOf(keyFile.sealed(), keyFile.sealed().length - 1);
        byte[] json = edited(r -> r.put("sealed", Base64.getEncoder().encodeToString(sealed)));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> KeyFile.parse(json, "k"));
        assertTrue(e.getMessage().contains("sealed box has 107 bytes, expected 108"), e.getMessage());
    }

    @Test
    void parse_wrongTypes_throwCorruptData() throws IOException {
        byte[][] damaged = {
                edited(r -> ((ObjectNode) r.get("kdf")).put("memoryKiB", "65536")),
                edited(r -> ((ObjectNode) r.get("kdf")).put("iterations", 2.5)),
                edited(r -> ((ObjectNode) r.get("kdf")).putArray("parallelism")),
                edited(r -> ((ObjectNode) r.get("kdf")).put("salt", 12)),
                edited(r -> r.put("sealed", 12)),
                edited(r -> r.put("kdf", "argon2id")),
                edited(r -> ((ObjectNode) r.get("kdf")).put("salt", Base64.getEncoder().encodeToString(new byte[2000]))),
        };
        for (int i = 0; i < damaged.length; i++) {
            byte[] json = damaged[i];
            assertThrows(CorruptDataException.class, () -> KeyFile.parse(json, "k"), "case " + i);
        }
    }

    @Test
    void parse_oversizedFile_isRefusedBeforeParsing() {
        byte[] huge = new byte[KeyFile.MAX_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> KeyFile.parse(huge, "big"));
        assertTrue(e.getMessage().contains("key file big"), e.getMessage());
    }
}
