/**
 * The configuration folder of a device and how its files are written (atomically, private files with
 * mode 0600). A leaf: imports nothing of the sync module.
 */
package dev.strata.sync.config;
