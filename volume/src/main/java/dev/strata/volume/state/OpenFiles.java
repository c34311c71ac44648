package dev.strata.volume.state;

/**
 * What a change applied from a peer needs to know of the files open in this process: whether a file
 * is open at all (a removed file then stays as an orphan until its last close) and whether it is
 * <em>busy</em> — open for writing, or with changes of its own not yet sealed — which a peer's record
 * must not replace. Implementations are called inside a step of the state and must not wait for one.
 */
public interface OpenFiles {
    /** No file is open: a state without a mount (tests, tools). */
    OpenFiles NONE = new OpenFiles() {
        @Override
        public boolean isOpen(long ino) {
            return false;
        }

        @Override
        public boolean busy(long ino) {
            return false;
        }
    };

    /** Whether any handle has file {@code ino} open. */
    boolean isOpen(long ino);

    /** Whether file {@code ino} is open for writing or holds changes not yet sealed into a version. */
    boolean busy(long ino);
}
