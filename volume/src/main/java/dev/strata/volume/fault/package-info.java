/**
 * Fault injection for crash tests: named points of the volume's work where a test can have the
 * process halt, as a kill -9 at that moment would. Imports nothing of Strata; every volume package may
 * use it.
 */
package dev.strata.volume.fault;
