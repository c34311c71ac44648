/** Check: structure and data verification of a repository, with a precise report. */
package dev.strata.snapshot.check;
