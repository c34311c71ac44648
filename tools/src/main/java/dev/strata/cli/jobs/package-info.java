/**
 * Backup jobs that run themselves: the configuration file, schedules, the job state file, the runner
 * behind {@code strata run} and the loop of {@code strata daemon}. It runs repository work only
 * through Strata's own commands (a {@link dev.strata.cli.jobs.CommandRunner}), so it imports no
 * storage layer and no picocli.
 */
package dev.strata.cli.jobs;
