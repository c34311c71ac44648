package dev.strata.image.browse;

import dev.strata.core.tree.NodeType;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds where the regular files of a browsable filesystem keep their bytes, so that an image can
 * cut its chunks where each file starts. Walks the folders from the root, each folder once and
 * each file once (hard links name one file); a damaged file or folder is left out and named in
 * {@link Located#problems()}, the rest is still located. Bounded: no more than {@code maxRuns}
 * runs in all, after which the walk stops. Stateless.
 */
public final class FileLocator {
    private static final int MAX_PROBLEMS = 10;

    private FileLocator() {
    }

    /**
     * What was found.
     *
     * @param runs      every located file's runs, file after file, each file's in file order
     * @param files     regular files located (with at least one run)
     * @param bytes     bytes of file data in the runs
     * @param problems  the first damage found (at most ten)
     * @param truncated whether the walk stopped at the run limit
     */
    public record Located(List<DataRun> runs, long files, long bytes, List<String> problems, boolean truncated) {
    }

    public static Located locate(BrowsableFs fs, int maxRuns) throws IOException {
        List<DataRun> runs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<Long> folders = new HashSet<>();
        Set<Long> files = new HashSet<>();
        long located = 0;
        long bytes = 0;
        Deque<FsNode> pending = new ArrayDeque<>();
        FsNode root = fs.root();
        folders.add(root.id());
        pending.push(root);
        while (!pending.isEmpty()) {
            FsNode dir = pending.pop();
            List<FsChild> children;
            try {
                children = fs.list(dir);
            } catch (FilesystemDamageException e) {
                note(problems, e.getMessage());
                continue;
            }
            for (FsChild c : children) {
                FsNode n = c.node();
                if (n == null) {
                    note(problems, c.damage());
                } else if (n.type() == NodeType.DIRECTORY) {
                    if (folders.add(n.id())) {
                        pending.push(n);
                    }
                } else if (n.type() == NodeType.FILE && files.add(n.id())) {
                    List<DataRun> own;
                    try {
                        own = fs.dataRuns(n);
                    } catch (FilesystemDamageException e) {
                        note(problems, e.getMessage());
                        continue;
                    }
                    if (runs.size() + own.size() > maxRuns) {
                        return new Located(runs, located, bytes, problems, true);
                    }
                    runs.addAll(own);
                    if (!own.isEmpty()) {
                        located++;
                        bytes += own.stream().mapToLong(DataRun::length).sum();
                    }
                }
            }
        }
        return new Located(runs, located, bytes, problems, false);
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }
}
