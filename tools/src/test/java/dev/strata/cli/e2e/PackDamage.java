package dev.strata.cli.e2e;

import dev.strata.core.id.PackId;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackTable;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Damages packs of a test repository the ways disks and people do: a flipped byte in an entry or in
 * the table, a pack cut short, a pack deleted. Reads the packs' tables first, while they are intact.
 * Confined to one test thread.
 */
final class PackDamage {
    private static final Pattern PACK_ID = Pattern.compile("\\b[0-9a-f]{64}\\b");

    private final Path dir;

    PackDamage(Path dir) {
        this.dir = dir;
    }

    /** Every pack's table, read before any damage. */
    List<PackTable> tables() throws IOException {
        List<PackTable> out = new ArrayList<>();
        try (Repository r = TestRepositories.local(dir).open(LockMode.READ)) {
            for (PackId id : new TreeSet<>(r.index().packs().keySet())) {
                out.add(r.store().packReader().readTable(id));
            }
        }
        return out;
    }

    Path file(PackId pack) throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("repo").resolve("data"))) {
            return s.filter(p -> p.getFileName().toString().equals(pack.toString())).findFirst().orElseThrow();
        }
    }

    void flip(PackId pack, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file(pack).toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
    }

    /** Flips a byte in the middle of one entry: only that chunk is lost. */
    void flipEntry(PackTable t, PackEntry e) throws IOException {
        flip(t.id(), e.offset() + e.storedLength() / 2);
    }

    /** Flips a byte of the table: every entry is still intact. */
    void flipTable(PackTable t) throws IOException {
        flip(t.id(), tableOffset(t) + 9);
    }

    /** Cuts the pack in the middle of entry {@code k}: that entry and all after it are lost. */
    void cutIn(PackTable t, int k) throws IOException {
        PackEntry e = t.entries().get(k);
        try (FileChannel ch = FileChannel.open(file(t.id()), StandardOpenOption.WRITE)) {
            ch.truncate(e.offset() + e.storedLength() / 2);
        }
    }

    void delete(PackTable t) throws IOException {
        Files.delete(file(t.id()));
    }

    static long tableOffset(PackTable t) {
        return t.entries().get(t.entries().size() - 1).end();
    }

    /** Every pack id (64 hex digits) a command printed. */
    static Set<String> packIdsIn(String output) {
        Set<String> out = new TreeSet<>();
        Matcher m = PACK_ID.matcher(output);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
