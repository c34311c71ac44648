package dev.strata.fstests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs each POSIX case twice — in a folder of a plain local filesystem, then in a folder of the live
 * volume — and requires the two traces to be the same: every result, errno and noted attribute.
 * The local run goes first, so a case that expects the wrong thing fails there, not on the volume.
 * Confined to the test thread.
 */
final class Twin {
    /** One POSIX case, run in the folder a {@link Scene} gives. */
    @FunctionalInterface
    interface Case {
        void run(Scene s) throws Exception;
    }

    private final Path local;
    private final Path volume;

    Twin(Path local, Path volume) {
        this.local = local;
        this.volume = volume;
    }

    /** Runs {@code c} in a new folder {@code name} on both; returns the volume's trace. */
    List<String> run(String name, Case c) throws Exception {
        Scene onDisk = scene("local disk", local, name);
        c.run(onDisk);
        Scene onVolume = scene("volume", volume, name);
        c.run(onVolume);
        List<String> a = onDisk.trace();
        List<String> b = onVolume.trace();
        if (!a.equals(b)) {
            throw new AssertionError("the volume and the local disk disagree in " + name + ":\n" + diff(a, b));
        }
        return b;
    }

    private static Scene scene(String where, Path base, String name) throws Exception {
        Path dir = base.resolve(name);
        Files.createDirectories(dir);
        // Cases about permissions act as someone else inside this folder.
        Libc.c().chmod(Libc.bytes(dir), 0777);
        return new Scene(where, dir);
    }

    private static String diff(List<String> disk, List<String> vol) {
        StringBuilder sb = new StringBuilder();
        int n = Math.max(disk.size(), vol.size());
        for (int i = 0; i < n; i++) {
            String a = i < disk.size() ? disk.get(i) : "(nothing)";
            String b = i < vol.size() ? vol.get(i) : "(nothing)";
            sb.append(a.equals(b) ? "    " : " >> ").append(a);
            if (!a.equals(b)) {
                sb.append("\n    volume:     ").append(b);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
