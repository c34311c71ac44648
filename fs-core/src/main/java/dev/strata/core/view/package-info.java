/**
 * Views: the one neutral interface for a browsable tree (attributes, listing, lookup, reading,
 * symlinks, xattrs; and refusing writes unless a view supports them). Snapshot, image, volume and
 * peer views implement it; the FUSE adapter, restore and tests consume it. Imports only the tree
 * layer's value types, id and error.
 */
package dev.strata.core.view;
