package dev.strata.cli.command;

import java.util.regex.Pattern;

/** Words of a command line as a POSIX shell reads them back, for commands printed to be run. Stateless. */
final class ShellWords {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWords() {
    }

    /** {@code word} as is when a shell takes it so, else in single quotes. */
    static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
