/**
 * Bursts of deletions and overwrites in a live volume: a pure detector, and the watch that warns in
 * the volume's log with the command that undoes the burst. Imports none of the volume's other
 * packages; the data and view layers report to it.
 */
package dev.strata.volume.burst;
