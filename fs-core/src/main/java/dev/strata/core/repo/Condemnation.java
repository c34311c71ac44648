package dev.strata.core.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.Hex;
import dev.strata.core.id.PackId;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Packs a prune has found unused and will delete once every writer knows it (docs/format.md §7.1),
 * as stored in {@code condemned/<id>}. Immutable.
 */
public record Condemnation(String id, Instant created, String host, Set<PackId> packs) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] AAD = "strata-condemned/v1".getBytes(StandardCharsets.US_ASCII);
    /** More ids than a lock or lease can sensibly name: a damaged or crafted record. */
    private static final int MAX_KNOWN = 100_000;

    public Condemnation {
        packs = Set.copyOf(packs);
        BlobName.of(BlobType.CONDEMNED, id);
    }

    /** A new condemnation of {@code packs}, with a random id. */
    public static Condemnation of(Set<PackId> packs, Instant now, String host) {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        return new Condemnation(Hex.encode(id), now, host, packs);
    }

    public BlobName blobName() {
        return BlobName.of(BlobType.CONDEMNED, id);
    }

    /** Writes this condemnation; it is durable when this returns. */
    public void write(Backend backend, MasterKey key) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("created", created.toString());
        root.put("host", host);
        ArrayNode list = root.putArray("packs");
        new TreeSet<>(packs.stream().map(PackId::toString).toList()).forEach(list::add);
        backend.put(blobName(), key.metadataCipher().seal(JSON.writeValueAsBytes(root), AAD));
    }

    /** Every condemnation in the repository, oldest first; a damaged one fails the whole listing. */
    public static List<Condemnation> list(Backend backend, MasterKey key) throws IOException {
        List<Condemnation> out = new ArrayList<>();
        for (BlobInfo info : backend.list(BlobType.CONDEMNED)) {
            try {
                out.add(open(backend.get(info.name()), key, info.name().name()));
            } catch (NoSuchFileException deletedMeanwhile) {
                // its packs are gone too
            }
        }
        out.sort((a, b) -> a.created().compareTo(b.created()));
        return out;
    }

    /** The ids of {@code all}. */
    public static Set<String> idsOf(List<Condemnation> all) {
        Set<String> ids = new LinkedHashSet<>();
        all.forEach(c -> ids.add(c.id()));
        return ids;
    }

    /** The packs of {@code all}. */
    public static Set<PackId> packsOf(List<Condemnation> all) {
        Set<PackId> packs = new HashSet<>();
        all.forEach(c -> packs.addAll(c.packs()));
        return packs;
    }

    static Condemnation open(byte[] sealed, MasterKey key, String id) throws CorruptDataException {
        try {
            JsonNode root = JSON.readTree(key.metadataCipher().open(sealed, AAD));
            if (root.path("version").asInt() != 1) {
                throw new CorruptDataException("condemnation " + id + " has version " + root.path("version")
                        + "; this Strata reads version 1");
            }
            JsonNode packs = root.get("packs");
            if (packs == null || !packs.isArray()) {
                throw new CorruptDataException("condemnation " + id + " names no packs");
            }
            Set<PackId> ids = new HashSet<>();
            for (JsonNode p : packs) {
                ids.add(PackId.parse(p.asText()));
            }
            return new Condemnation(id, Instant.parse(root.get("created").asText()), root.path("host").asText(""), ids);
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("condemnation " + id + " fails authentication", e);
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException("condemnation " + id + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Reads a list of condemnation ids ({@code knows} of a lock or lease); missing is empty. */
    static Set<String> ids(JsonNode list, String where) throws CorruptDataException {
        if (list.isMissingNode() || list.isNull()) {
            return Set.of();
        }
        if (!list.isArray() || list.size() > MAX_KNOWN) {
            throw new CorruptDataException(where + " has a damaged list of known condemnations");
        }
        Set<String> out = new HashSet<>();
        for (JsonNode n : list) {
            String id = n.asText();
            if (!Hex.isHex(id, 32)) {
                throw new CorruptDataException(where + " names a condemnation '" + id + "' that is not 32 hex digits");
            }
            out.add(id);
        }
        return out;
    }
}
