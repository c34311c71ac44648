package dev.strata.core.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.UnsupportedFormatException;

import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * One key file: the master secret wrapped under a password (docs/format.md §3). Immutable,
 * thread-safe.
 */
public record KeyFile(Instant created, String host, String user, KdfParams kdf, byte[] salt, byte[] sealed) {
    public static final int VERSION = 1;
    private static final byte[] AAD = "strata-key/v1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The largest key file read; Strata writes about 500 bytes. */
    public static final int MAX_BYTES = 64 * 1024;
    private static final int MIN_SALT = 16;
    private static final int MAX_SALT = 1024;
    /** Nonce, master secret and repository id, tag. */
    private static final int SEALED_LENGTH = Aes256GcmCipher.OVERHEAD + MasterKey.SECRET_LENGTH + MasterKey.REPOSITORY_ID_LENGTH;

    public KeyFile {
        if (salt.length < 16) {
            throw new IllegalArgumentException("a key file salt has at least 16 bytes");
        }
        salt = salt.clone();
        sealed = sealed.clone();
    }

    /** A copy of the Argon2id salt. */
    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** A copy of the sealed envelope. */
    @Override
    public byte[] sealed() {
        return sealed.clone();
    }

    /** Wraps {@code key} under {@code password}. Slow on purpose: it runs Argon2id. */
    public static KeyFile create(MasterKey key, char[] password, KdfParams kdf, Instant created, String host, String user) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] kek = Argon2id.derive(password, salt, kdf);
        byte[] plain = new byte[MasterKey.SECRET_LENGTH + MasterKey.REPOSITORY_ID_LENGTH];
        byte[] secret = key.secret();
        System.arraycopy(secret, 0, plain, 0, secret.length);
        System.arraycopy(key.repositoryId(), 0, plain, secret.length, MasterKey.REPOSITORY_ID_LENGTH);
        try {
            byte[] sealed = new Aes256GcmCipher(new SecretKeySpec(kek, "AES")).seal(plain, AAD);
            return new KeyFile(created, host, user, kdf, salt, sealed);
        } finally {
            Arrays.fill(kek, (byte) 0);
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Unwraps the master key with {@code password}; empty when the password does not fit. Fails with
     * {@link CorruptDataException} when the key file opens but belongs to another repository.
     */
    public Optional<MasterKey> open(char[] password, byte[] expectedRepositoryId) throws CorruptDataException {
        byte[] kek = Argon2id.derive(password, salt, kdf);
        byte[] plain;
        try {
            plain = new Aes256GcmCipher(new SecretKeySpec(kek, "AES")).open(sealed, AAD);
        } catch (AEADBadTagException wrongPassword) {
            return Optional.empty();
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
        try {
            if (plain.length != MasterKey.SECRET_LENGTH + MasterKey.REPOSITORY_ID_LENGTH) {
                throw new CorruptDataException("key file holds " + plain.length + " bytes, expected 80");
            }
            byte[] id = Arrays.copyOfRange(plain, MasterKey.SECRET_LENGTH, plain.length);
            if (!Arrays.equals(id, expectedRepositoryId)) {
                throw new CorruptDataException("key file belongs to another repository");
            }
            return Optional.of(MasterKey.of(Arrays.copyOf(plain, MasterKey.SECRET_LENGTH), id));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "strata-key");
        root.put("version", VERSION);
        root.put("created", created.toString());
        root.put("host", host);
        root.put("user", user);
        ObjectNode k = root.putObject("kdf");
        k.put("algorithm", "argon2id");
        k.put("memoryKiB", kdf.memoryKiB());
        k.put("iterations", kdf.iterations());
        k.put("parallelism", kdf.parallelism());
        k.put("salt", Base64.getEncoder().encodeToString(salt));
        root.put("sealed", Base64.getEncoder().encodeToString(sealed));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses a key file; {@code name} is used in error messages. A key file that is damaged,
     * truncated or asks for an Argon2 cost beyond {@link KdfParams}' limits fails with
     * {@link CorruptDataException} before any key derivation starts, so that it is told apart from
     * a wrong password and cannot hang the caller.
     */
    public static KeyFile parse(byte[] json, String name) throws IOException {
        if (json.length > MAX_BYTES) {
            throw new CorruptDataException("key file " + name + " is " + json.length + " bytes long; a key file has at most "
                    + MAX_BYTES + " (damaged or not a key file)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new CorruptDataException("key file " + name + " is not valid JSON (truncated or damaged)", e);
        }
        if (root == null || !"strata-key".equals(root.path("format").asText())) {
            throw new CorruptDataException("key file " + name + " is not a Strata key file");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new UnsupportedFormatException("key file " + name + " has format version " + version
                    + "; this Strata reads version " + VERSION);
        }
        JsonNode k = root.path("kdf");
        if (!k.isObject()) {
            throw damaged(name, "it has no kdf object");
        }
        if (!"argon2id".equals(k.path("algorithm").asText())) {
            throw new UnsupportedFormatException("key file " + name + " uses KDF '" + k.path("algorithm").asText() + "'");
        }
        long memory = integer(k, "memoryKiB", name);
        long iterations = integer(k, "iterations", name);
        long parallelism = integer(k, "parallelism", name);
        Optional<String> beyond = KdfParams.beyondLimits(memory, iterations, parallelism);
        if (beyond.isPresent()) {
            throw new CorruptDataException("key file " + name + " is damaged or hostile, so it was not tried: "
                    + beyond.get() + " (Strata accepts at most 1 GiB, " + KdfParams.MAX_ITERATIONS + " passes, "
                    + KdfParams.MAX_PARALLELISM + " lanes and 32 GiB of work)");
        }
        KdfParams params = new KdfParams((int) memory, (int) iterations, (int) parallelism);
        byte[] salt = base64(k, "salt", name);
        if (salt.length < MIN_SALT || salt.length > MAX_SALT) {
            throw damaged(name, "its salt has " + salt.length + " bytes, expected " + MIN_SALT + ".." + MAX_SALT);
        }
        byte[] sealed = base64(root, "sealed", name);
        if (sealed.length != SEALED_LENGTH) {
            throw damaged(name, "its sealed box has " + sealed.length + " bytes, expected " + SEALED_LENGTH);
        }
        Instant created;
        try {
            created = Instant.parse(root.path("created").asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw damaged(name, "its creation time '" + root.path("created").asText() + "' is not a time");
        }
        return new KeyFile(created, root.path("host").asText(""), root.path("user").asText(""), params, salt, sealed);
    }

    private static long integer(JsonNode parent, String field, String name) throws CorruptDataException {
        JsonNode v = parent.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw damaged(name, "kdf." + field + " is " + (v == null ? "missing" : "not an integer: " + v));
        }
        return v.asLong();
    }

    private static byte[] base64(JsonNode parent, String field, String name) throws CorruptDataException {
        JsonNode v = parent.get(field);
        if (v == null || !v.isTextual()) {
            throw damaged(name, field + " is " + (v == null ? "missing" : "not a string"));
        }
        try {
            return Base64.getDecoder().decode(v.asText());
        } catch (IllegalArgumentException e) {
            throw damaged(name, field + " is not base64");
        }
    }

    private static CorruptDataException damaged(String name, String what) {
        return new CorruptDataException("key file " + name + " is damaged: " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyFile && Arrays.equals(sealed, ((KeyFile) o).sealed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sealed);
    }

    @Override
    public String toString() {
        return "KeyFile[" + user + "@" + host + ", " + created + "]";
    }
}
