package dev.strata.snapshot.restore;

/** Which snapshot paths a restore writes. Implementations are immutable and thread-safe. */
public interface Selection {
    Selection ALL = new Selection() {
        @Override
        public boolean enter(String dirPath) {
            return true;
        }

        @Override
        public boolean includes(String path, boolean isDirectory) {
            return true;
        }
    };

    /** Whether anything at or below this folder may be restored; false skips it whole. */
    boolean enter(String dirPath);

    /** Whether this entry itself is restored (a folder restored this way is created even if empty). */
    boolean includes(String path, boolean isDirectory);

    /** Only {@code path} itself. */
    static Selection only(String path) {
        return new Selection() {
            @Override
            public boolean enter(String dirPath) {
                return path.equals(dirPath) || path.startsWith(dirPath.endsWith("/") ? dirPath : dirPath + "/");
            }

            @Override
            public boolean includes(String p, boolean isDirectory) {
                return p.equals(path);
            }
        };
    }
}
