package dev.strata.cli.command;

import java.io.PrintStream;
import java.util.List;

/** Prints the entries an import or a dump left out: those listed with their reason, then how many more there were. */
final class LeftOutLines {
    private LeftOutLines() {
    }

    static void print(PrintStream err, List<String> listed, long leftOut) {
        listed.forEach(w -> err.println("warning: " + w));
        if (leftOut > listed.size()) {
            err.printf("warning: and %,d more entries left out, not listed%n", leftOut - listed.size());
        }
    }
}
