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

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A long-lived writer's declaration of the condemnations it knows, kept in the repository so that it
 * outlives the writer's process (docs/format.md §7.1): a live volume whose local state refers to
 * chunks no checkpoint holds yet. Stored as {@code leases/<id>}. Immutable.
 *
 * @param owner what holds it, for messages ("volume docs")
 */
public record Lease(String id, String owner, String host, Instant updated, Set<String> knows) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] AAD = "strata-lease/v1".getBytes(StandardCharsets.US_ASCII);

    public Lease {
        knows = Set.copyOf(knows);
        BlobName.of(BlobType.LEASE, id);
    }

    public BlobName blobName() {
        return BlobName.of(BlobType.LEASE, id);
    }

    public Lease knowing(Set<String> ids, Instant now) {
        return new Lease(id, owner, host, now, ids);
    }

    /** Writes (or replaces) this lease; durable when this returns. */
    public void write(Backend backend, MasterKey key) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("owner", owner);
        root.put("host", host);
        root.put("updated", updated.toString());
        ArrayNode list = root.putArray("knows");
        new TreeSet<>(knows).forEach(list::add);
        backend.put(blobName(), key.metadataCipher().seal(JSON.writeValueAsBytes(root), AAD));
    }

    public void delete(Backend backend) throws IOException {
        backend.delete(blobName());
    }

    /** The lease {@code id}, if there is one. */
    public static Optional<Lease> read(Backend backend, MasterKey key, String id) throws IOException {
        BlobName name = BlobName.of(BlobType.LEASE, id);
        try {
            return Optional.of(open(backend.get(name), key, id));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
    }

    /** Every lease in the repository; a damaged one fails the listing (prune must not guess). */
    public static List<Lease> list(Backend backend, MasterKey key) throws IOException {
        List<Lease> out = new ArrayList<>();
        for (BlobInfo info : backend.list(BlobType.LEASE)) {
            try {
                out.add(open(backend.get(info.name()), key, info.name().name()));
            } catch (NoSuchFileException released) {
                // deleted between listing and reading
            }
        }
        return out;
    }

    static Lease open(byte[] sealed, MasterKey key, String id) throws CorruptDataException {
        try {
            JsonNode root = JSON.readTree(key.metadataCipher().open(sealed, AAD));
            if (root.path("version").asInt() != 1) {
                throw new CorruptDataException("lease " + id + " has version " + root.path("version")
                        + "; this Strata reads version 1");
            }
            return new Lease(id, root.path("owner").asText(""), root.path("host").asText(""),
                    Instant.parse(root.get("updated").asText()), Condemnation.ids(root.path("knows"), "lease " + id));
        } catch (AEADBadTagException e) {
            throw new CorruptDataException("lease " + id + " fails authentication", e);
        } catch (CorruptDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptDataException("lease " + id + " is damaged: " + e.getMessage(), e);
        }
    }
}
