package dev.strata.volume.data;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The volume's staging folder: one sparse overlay file per file with unsealed changes, named by its
 * number, holding the written bytes at their offsets. Thread-safe.
 */
final class Overlays {
    private final Path folder;

    Overlays(Path folder) throws IOException {
        this.folder = Files.createDirectories(folder);
    }

    Path folder() {
        return folder;
    }

    Path path(long overlay) {
        return folder.resolve(Long.toString(overlay));
    }

    FileChannel openForWriting(long overlay) throws IOException {
        return FileChannel.open(path(overlay), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    /** Opens an overlay to read it again (recovery); a missing file reads as an empty one. */
    FileChannel openForReading(long overlay) throws IOException {
        Path p = path(overlay);
        if (!Files.exists(p)) {
            return null;
        }
        return FileChannel.open(p, StandardOpenOption.READ);
    }

    void delete(long overlay) throws IOException {
        Files.deleteIfExists(path(overlay));
    }

    /** Makes the creation of overlay files durable (their names are in the folder). */
    void syncFolder() throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Deletes every overlay not in {@code keep} (left by a crash); returns how many went. */
    int deleteAllBut(Set<Long> keep) throws IOException {
        Set<Path> gone = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                try {
                    if (!keep.contains(Long.parseLong(name))) {
                        gone.add(f);
                    }
                } catch (NumberFormatException notOurs) {
                    gone.add(f);
                }
            }
        }
        for (Path f : gone) {
            Files.deleteIfExists(f);
        }
        return gone.size();
    }
}
