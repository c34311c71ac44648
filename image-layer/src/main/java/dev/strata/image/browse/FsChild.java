package dev.strata.image.browse;

/**
 * One name in a folder of a browsed filesystem: its node, or why it cannot be read (the rest of
 * the folder still can). Immutable.
 *
 * @param node   null when {@code damage} says why it cannot be read
 * @param damage empty when {@code node} is there
 */
public record FsChild(String name, FsNode node, String damage) {
    public boolean readable() {
        return node != null;
    }
}
