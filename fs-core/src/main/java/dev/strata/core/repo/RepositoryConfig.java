package dev.strata.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.chunk.ChunkerParams;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.NotARepositoryException;
import dev.strata.core.error.UnsupportedFormatException;
import dev.strata.core.id.Hex;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The repository config (docs/format.md §4): public id and version, sealed chunker, compression and
 * pack-size settings. Immutable.
 */
public record RepositoryConfig(byte[] id, Instant created, ChunkerParams chunker, int compressionLevel,
                               long dataPackSize, long treePackSize) {
    public static final int VERSION = 1;
    public static final String FORMAT = "strata-repository";
    private static final ObjectMapper JSON = new ObjectMapper();

    public RepositoryConfig {
        if (id.length != MasterKey.REPOSITORY_ID_LENGTH) {
            throw new IllegalArgumentException("a repository id has 16 bytes");
        }
        id = id.clone();
    }

    @Override
    public byte[] id() {
        return id.clone();
    }

    public String idHex() {
        return Hex.encode(id);
    }

    /** The parts of a config readable without a password. */
    public record Public(int version, byte[] id, Instant created, byte[] sealed) {
    }

    /**
     * Reads the public part. Refuses anything that is not a Strata config and any version other than
     * this one, before a password is asked for.
     */
    public static Public readPublic(byte[] bytes, String location) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new NotARepositoryException(location + " is not a Strata repository (its config is not Strata's)");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new NotARepositoryException(location + " is not a Strata repository (its config is not Strata's)");
        }
        int version = root.path("version").asInt(-1);
        if (version > VERSION) {
            throw new UnsupportedFormatException(location + " holds a repository of format version " + version
                    + "; this Strata reads version " + VERSION + " — use a newer Strata");
        }
        if (version != VERSION) {
            throw new UnsupportedFormatException(location + " holds a repository of unknown format version " + version);
        }
        String idHex = root.path("id").asText("");
        if (!Hex.isHex(idHex, 2 * MasterKey.REPOSITORY_ID_LENGTH)) {
            throw new CorruptDataException("config of " + location + " has a damaged id");
        }
        try {
            return new Public(version, Hex.decode(idHex), Instant.parse(root.path("created").asText()),
                    Base64.getDecoder().decode(root.path("sealed").asText()));
        } catch (RuntimeException e) {
            throw new CorruptDataException("config of " + location + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Opens the sealed part with the repository's key. */
    public static RepositoryConfig unseal(Public p, MasterKey key, String location) throws IOException {
        byte[] plain;
        try {
            plain = key.metadataCipher().open(p.sealed(), aad(p.id(), p.version()));
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("config of " + location + " fails authentication (damaged or replaced)", e);
        }
        try {
            JsonNode s = JSON.readTree(plain);
            JsonNode c = s.get("chunker");
            if (!"fastcdc2020".equals(c.path("algorithm").asText())) {
                throw new UnsupportedFormatException("config of " + location + " names chunker '" + c.path("algorithm").asText() + "'");
            }
            ChunkerParams chunker = new ChunkerParams(c.get("minSize").asInt(), c.get("avgSize").asInt(), c.get("maxSize").asInt());
            JsonNode z = s.get("compression");
            if (!"zstd".equals(z.path("algorithm").asText())) {
                throw new UnsupportedFormatException("config of " + location + " names compression '" + z.path("algorithm").asText() + "'");
            }
            JsonNode ps = s.get("packSize");
            return new RepositoryConfig(p.id(), p.created(), chunker, z.get("level").asInt(),
                    ps.get("data").asLong(), ps.get("tree").asLong());
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new CorruptDataException("config of " + location + " is damaged: " + e, e);
        }
    }

    public byte[] toJson(MasterKey key) {
        ObjectNode sealed = JSON.createObjectNode();
        ObjectNode c = sealed.putObject("chunker");
        c.put("algorithm", "fastcdc2020");
        c.put("minSize", chunker.minSize());
        c.put("avgSize", chunker.avgSize());
        c.put("maxSize", chunker.maxSize());
        ObjectNode z = sealed.putObject("compression");
        z.put("algorithm", "zstd");
        z.put("level", compressionLevel);
        ObjectNode ps = sealed.putObject("packSize");
        ps.put("data", dataPackSize);
        ps.put("tree", treePackSize);
        try {
            byte[] inner = JSON.writeValueAsBytes(sealed);
            ObjectNode root = JSON.createObjectNode();
            root.put("format", FORMAT);
            root.put("version", VERSION);
            root.put("id", idHex());
            root.put("created", created.toString());
            root.put("sealed", Base64.getEncoder().encodeToString(key.metadataCipher().seal(inner, aad(id, VERSION))));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] aad(byte[] id, int version) {
        return ("strata-config/v1|" + Hex.encode(id) + "|" + version).getBytes(StandardCharsets.US_ASCII);
    }
}
