package dev.strata.sync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The frame of the configuration folder's JSON lists (peers, shared volumes): a {@code format} name
 * and a {@code version}, checked before anything else is read. Stateless.
 */
public final class VersionedJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VersionedJson() {
    }

    /** A new document of {@code format} at {@code version}, for the caller to fill. */
    public static ObjectNode create(String format, int version) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format);
        root.put("version", version);
        return root;
    }

    /** The document's bytes, as they are written to {@code file}. */
    public static byte[] bytes(ObjectNode root) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    /**
     * Reads {@code bytes} of {@code file} as a document of {@code format} ("not a {@code what}" when it
     * is not one) at {@code version} (another version is a clear error of its own, not damage).
     */
    public static JsonNode read(byte[] bytes, Path file, String format, int version, String what) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        if (root == null || !format.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not a " + what);
        }
        if (root.path("version").asInt() != version) {
            throw new UserFacingException(ExitCode.UNSUPPORTED_FORMAT, file + " is of version "
                    + root.path("version").asText() + "; this strata reads version " + version);
        }
        return root;
    }
}
