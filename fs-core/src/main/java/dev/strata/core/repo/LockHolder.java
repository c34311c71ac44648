package dev.strata.core.repo;

/**
 * What holds a lock, for the message another process shows when the lock is in its way.
 *
 * @param command the command that holds it ("strata mount /home/ana/history"), or empty
 * @param release how to make a holder that never ends on its own let go ("strata umount
 *                /home/ana/history"), or empty for commands that end by themselves
 */
public record LockHolder(String command, String release) {
    public static final LockHolder UNNAMED = new LockHolder("", "");

    public LockHolder {
        command = command == null ? "" : command;
        release = release == null ? "" : release;
    }

    /** A command that runs until it is stopped, such as a mount, and how to stop it. */
    public static LockHolder untilStopped(String command, String release) {
        return new LockHolder(command, release);
    }

    public static LockHolder of(String command) {
        return new LockHolder(command, "");
    }
}
