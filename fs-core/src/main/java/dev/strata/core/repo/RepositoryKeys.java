package dev.strata.core.repo;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.crypto.Argon2id;
import dev.strata.core.crypto.KdfParams;
import dev.strata.core.crypto.KeyFile;
import dev.strata.core.crypto.MasterKey;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.Hex;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The passwords of a repository: its key files, each wrapping the same master key. Thread-safe
 * as far as the backend is; callers hold a write lock while changing keys.
 */
public final class RepositoryKeys {
    private static volatile KdfParams calibrated;

    private final Backend backend;
    private final MasterKey key;
    /** The key file this handle was opened with; changePassword moves it to the new one. */
    private volatile String currentId;
    private final Clock clock;
    private final HostIdentity me;
    private final KdfParams kdfOverride;

    RepositoryKeys(Backend backend, MasterKey key, String currentId, Clock clock, HostIdentity me, KdfParams kdfOverride) {
        this.backend = backend;
        this.key = key;
        this.currentId = currentId;
        this.clock = clock;
        this.me = me;
        this.kdfOverride = kdfOverride;
    }

    /** Argon2id cost for new key files on this machine: calibrated once per process to about 0.3 s. */
    static KdfParams defaultKdf() {
        KdfParams p = calibrated;
        if (p == null) {
            p = Argon2id.calibrate(Duration.ofMillis(300));
            calibrated = p;
        }
        return p;
    }

    /** Writes a new key file for {@code password}; returns its id. */
    static String write(Backend backend, MasterKey key, char[] password, KdfParams kdf, Clock clock, HostIdentity me)
            throws IOException {
        byte[] rawId = new byte[16];
        new SecureRandom().nextBytes(rawId);
        String id = Hex.encode(rawId);
        KeyFile file = KeyFile.create(key, password, kdf == null ? defaultKdf() : kdf, clock.instant(), me.host(), me.user());
        backend.put(BlobName.of(BlobType.KEY, id), file.toJson());
        return id;
    }

    /** The id of the key file this repository was opened with. */
    public String currentId() {
        return currentId;
    }

    public List<KeyInfo> list() throws IOException {
        List<KeyInfo> out = new ArrayList<>();
        for (BlobInfo info : backend.list(BlobType.KEY)) {
            String id = info.name().name();
            try {
                if (info.size() > KeyFile.MAX_BYTES) {
                    throw new CorruptDataException("key file " + id + " is " + info.size() + " bytes long");
                }
                KeyFile f = KeyFile.parse(backend.get(info.name()), id);
                out.add(new KeyInfo(id, f.created(), f.host(), f.user(), id.equals(currentId)));
            } catch (CorruptDataException e) {
                // Listed, so that it can be seen and removed.
                out.add(KeyInfo.damaged(id, e.getMessage()));
            }
        }
        out.sort(Comparator.comparing(KeyInfo::created).thenComparing(KeyInfo::id));
        return out;
    }

    /** Adds a password; returns the new key file's id. */
    public String add(char[] newPassword) throws IOException {
        checkPassword(newPassword);
        return write(backend, key, newPassword, kdfOverride, clock, me);
    }

    /**
     * Removes a password. Refuses the key in use (open with another password to remove it) and an id
     * that matches no key file.
     */
    public void remove(String idOrPrefix) throws IOException {
        String id = resolve(idOrPrefix);
        if (id.equals(currentId)) {
            throw new UserFacingException(ExitCode.FAILURE, "key " + id + " is the one in use; "
                    + "open the repository with another password to remove it, or use 'strata key passwd'");
        }
        backend.delete(BlobName.of(BlobType.KEY, id));
    }

    /** Replaces the password in use: writes a new key file, then removes the current one. */
    public String changePassword(char[] newPassword) throws IOException {
        String id = add(newPassword);
        String old = currentId;
        currentId = id;
        backend.delete(BlobName.of(BlobType.KEY, old));
        return id;
    }

    private String resolve(String idOrPrefix) throws IOException {
        List<String> matches = new ArrayList<>();
        for (BlobInfo info : backend.list(BlobType.KEY)) {
            if (info.name().name().startsWith(idOrPrefix.toLowerCase(java.util.Locale.ROOT))) {
                matches.add(info.name().name());
            }
        }
        if (idOrPrefix.isEmpty() || matches.isEmpty()) {
            throw new UserFacingException(ExitCode.NOT_FOUND, "no key with id '" + idOrPrefix + "'; 'strata key list' shows them");
        }
        if (matches.size() > 1) {
            throw new UserFacingException(ExitCode.USAGE, "key id '" + idOrPrefix + "' is ambiguous: " + matches);
        }
        return matches.get(0);
    }

    static void checkPassword(char[] password) throws UserFacingException {
        if (password == null || password.length == 0) {
            throw new UserFacingException(ExitCode.USAGE, "an empty password is not allowed");
        }
    }
}
