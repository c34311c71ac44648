/**
 * What each peer of a shared volume holds, as a read-only view for the mount ({@code peers/<device>/}):
 * the peer's records as they last came, contents read from this device's chunks or, when it does not
 * hold one, from the peer. Sits on {@code volumes}, {@code chunks} and {@code net}; knows no FUSE.
 */
package dev.strata.sync.view;
