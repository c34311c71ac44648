package dev.strata.sync;

import dev.strata.sync.config.ConfigFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code sync/status.json} in the state folder: written by the running process (replaced atomically),
 * read by {@code strata sync status}. Stateless.
 */
public final class StatusFile {
    private final Path file;

    public StatusFile(Path syncStateFolder) {
        this.file = syncStateFolder.resolve("status.json");
    }

    public Path path() {
        return file;
    }

    void write(SyncStatus status) throws IOException {
        ConfigFiles.replace(file, status.encode());
    }

    /** The last status published, or empty if none was (or it cannot be read: a status is only a hint). */
    public Optional<SyncStatus> read() {
        try {
            return Optional.of(SyncStatus.decode(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
