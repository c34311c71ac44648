package dev.strata.snapshot.backup;

import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.PathBytes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Counts the files and bytes a backup will look at, on its own thread ahead of the backup, so that
 * progress can show a percentage and an estimate of the time left. Errors are ignored here: the
 * backup itself reports them. Confined to its thread.
 */
final class Scanner implements Runnable {
    private final SourceFs fs;
    private final List<Path> roots;
    private final PathFilter filter;
    private final BackupProgress progress;
    private final DirectoryAtimes atimes;
    private long files;
    private long bytes;

    Scanner(SourceFs fs, List<Path> roots, PathFilter filter, BackupProgress progress, DirectoryAtimes atimes) {
        this.fs = fs;
        this.roots = roots;
        this.filter = filter;
        this.progress = progress;
        this.atimes = atimes;
    }

    @Override
    public void run() {
        for (Path root : roots) {
            try {
                visit(root, fs.lstat(root), filter);
            } catch (IOException ignored) {
                // the backup reports it
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
        progress.totals(files, bytes);
    }

    private void visit(Path path, FileStatus st, PathFilter f) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            return;
        }
        if (st.isDirectory()) {
            List<String> names;
            atimes.listing(st);
            try {
                names = fs.list(path);
                atimes.listed(st, fs.lstat(path));
            } catch (IOException e) {
                return;
            }
            PathFilter inner = f.enter(path, names, new Warnings(w -> { }));
            for (String n : names) {
                Path c = PathBytes.resolve(path, n);
                try {
                    FileStatus cst = fs.lstat(c);
                    if (!inner.excludes(c, n, cst)) {
                        visit(c, cst, inner);
                    }
                } catch (IOException ignored) {
                    // vanished or unreadable: the backup reports it
                }
            }
        } else {
            files++;
            if (st.isRegularFile()) {
                bytes += st.size();
            }
        }
    }
}
