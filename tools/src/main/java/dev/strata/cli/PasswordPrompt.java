package dev.strata.cli;

/** Asks the person at the terminal for a password. */
public interface PasswordPrompt {

    /** Whether there is a terminal to ask on. */
    boolean available();

    /** Shows {@code prompt} and reads a password without echo; null at end of input. */
    char[] read(String prompt);

    /** The prompt of the process's console, when it has one. */
    static PasswordPrompt console() {
        return new PasswordPrompt() {
            @Override
            public boolean available() {
                return System.console() != null;
            }

            @Override
            public char[] read(String prompt) {
                return System.console().readPassword("%s", prompt);
            }
        };
    }

    /** No terminal: every password must come from a file or the environment. */
    static PasswordPrompt none() {
        return new PasswordPrompt() {
            @Override
            public boolean available() {
                return false;
            }

            @Override
            public char[] read(String prompt) {
                return null;
            }
        };
    }
}
