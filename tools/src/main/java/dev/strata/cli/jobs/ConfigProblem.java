package dev.strata.cli.jobs;

/** One thing wrong in a configuration file, at a line. Immutable. */
public record ConfigProblem(int line, String message) {
}
