package dev.strata.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells whether a block device or image file is in use: mounted itself, through one of its
 * partitions, through a device-mapper holder (LVM, dm-crypt) or, for a file, through a loop device
 * backed by it. Reads /sys and /proc/self/mountinfo (Linux). Stateless.
 */
public final class Mounts {
    private static final Path SYS_BLOCK = Path.of("/sys/class/block");
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private Mounts() {
    }

    /** Where the device or file is in use ("/mnt/x", "held by dm-0"); empty when it is free. */
    public static List<String> mountPointsOf(Path path) throws IOException {
        if (!Files.exists(path)) {
            return List.of();
        }
        Path real = path.toRealPath();
        List<String> blockNames = new ArrayList<>();
        if (Files.isRegularFile(real)) {
            blockNames.addAll(loopDevicesBackedBy(real));
        } else if (Files.isDirectory(SYS_BLOCK.resolve(real.getFileName().toString()))) {
            blockNames.add(real.getFileName().toString());
        }
        Set<String> devNumbers = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (String name : blockNames) {
            if (name.startsWith("loop") && Files.isRegularFile(real)) {
                out.add("attached to /dev/" + name);
            }
            collect(SYS_BLOCK.resolve(name), devNumbers, out, 0);
        }
        if (devNumbers.isEmpty() || !Files.isReadable(MOUNTINFO)) {
            return out;
        }
        for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length > 4 && devNumbers.contains(f[2])) {
                out.add(f[4].replace("\\040", " "));
            }
        }
        return out;
    }

    /** Adds the dev numbers of a block device, its partitions and its holders. */
    private static void collect(Path sysDir, Set<String> devNumbers, List<String> out, int depth) throws IOException {
        if (depth > 4) {
            return;
        }
        Path dev = sysDir.resolve("dev");
        if (Files.isReadable(dev)) {
            devNumbers.add(Files.readString(dev).trim());
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(sysDir)) {
            for (Path c : children) {
                if (Files.isRegularFile(c.resolve("partition"))) {
                    collect(c, devNumbers, out, depth + 1);
                }
            }
        } catch (IOException ignored) {
            // No partitions to look at.
        }
        Path holders = sysDir.resolve("holders");
        if (Files.isDirectory(holders)) {
            try (DirectoryStream<Path> hs = Files.newDirectoryStream(holders)) {
                for (Path h : hs) {
                    out.add("held by " + h.getFileName());
                    collect(SYS_BLOCK.resolve(h.getFileName().toString()), devNumbers, out, depth + 1);
                }
            }
        }
    }

    private static List<String> loopDevicesBackedBy(Path file) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> loops = Files.newDirectoryStream(SYS_BLOCK, "loop*")) {
            for (Path l : loops) {
                Path backing = l.resolve("loop/backing_file");
                if (Files.isReadable(backing) && Files.readString(backing).trim().equals(file.toString())) {
                    out.add(l.getFileName().toString());
                }
            }
        } catch (IOException ignored) {
            // No loop devices.
        }
        return out;
    }
}
