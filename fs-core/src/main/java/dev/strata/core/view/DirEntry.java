package dev.strata.core.view;

/** One name in a folder listing, with its attributes (so listings carry file types and inodes). */
public record DirEntry(String name, Attributes attributes) {
}
