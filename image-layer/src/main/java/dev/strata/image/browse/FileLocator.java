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
     * @param split     of those files, the ones whose bytes lie in more than one piece (holes,
     *                  unwritten extents or fragments between them): an image cuts such a file's
     *                  chunks as its file backup does only up to its first piece's end
     * @param splitBytes bytes of file data of the split files
     * @param problems  the first damage found (at most ten)
     * @param truncated whether the walk stopped at the run limit
     */
    public record Located(List<DataRun> runs, long files, long bytes, long split, long splitBytes, List<String> problems,
                          boolean truncated) {
    }

    public static Located locate(BrowsableFs fs, int maxRuns) throws IOException {
        List<DataRun> runs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<Long> folders = new HashSet<>();
        Set<Long> files = new HashSet<>();
        long located = 0;
        long bytes = 0;
        long split = 0;
        long splitBytes = 0;
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
                        return new Located(runs, located, bytes, split, splitBytes, problems, true);
                    }
                    runs.addAll(own);
                    if (!own.isEmpty()) {
                        long fileBytes = own.stream().mapToLong(DataRun::length).sum();
                        located++;
                        bytes += fileBytes;
                        if (pieces(own) > 1) {
                            split++;
                            splitBytes += fileBytes;
                        }
                    }
                }
            }
        }
        return new Located(runs, located, bytes, split, splitBytes, problems, false);
    }

    /**
     * How many pieces a file's runs (in file order) make on the disk: runs that follow each other
     * both in the file and on the disk are one piece.
     */
    static int pieces(List<DataRun> runs) {
        int pieces = 0;
        DataRun previous = null;
        for (DataRun r : runs) {
            boolean continues = previous != null && r.fileOffset() == previous.fileOffset() + previous.length()
                    && r.position() == previous.end();
            if (!continues) {
                pieces++;
            }
            previous = r;
        }
        return pieces;
    }

    private static void note(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }
}
