package dev.strata.snapshot.backup.filter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link FilterFiles} served from a map, counting reads. Thread-safe. */
final class MemoryFilterFiles implements FilterFiles {
    private final Map<Path, String> files = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();

    MemoryFilterFiles put(Path path, String content) {
        files.put(path, content);
        return this;
    }

    @Override
    public String readText(Path file) throws IOException {
        reads.incrementAndGet();
        String s = files.get(file);
        if (s == null) {
            throw new NoSuchFileException(file.toString());
        }
        return s;
    }

    @Override
    public byte[] readHead(Path file, int maxBytes) throws IOException {
        byte[] all = readText(file).getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(all, Math.min(all.length, maxBytes));
    }
}
