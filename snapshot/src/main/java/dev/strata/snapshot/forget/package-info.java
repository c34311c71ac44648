/**
 * Retention: which snapshots {@code strata forget} keeps and why, as a pure function of the snapshot
 * list, a policy, the time of evaluation and a time zone ({@link dev.strata.snapshot.forget.Retention}),
 * and how the resulting plan is printed. Imports the snapshot records and {@code java.time} only; never
 * the repository, the backend, I/O or a clock.
 */
package dev.strata.snapshot.forget;
