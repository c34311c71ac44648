package dev.strata.volume.state;

import dev.strata.core.tree.FileContent;

import java.util.List;

/**
 * What a file with unsealed changes is made of: the content it had when the changes began, how much
 * of that content is still valid (a truncation cuts it), and the ranges written since, which live in
 * the overlay file {@code overlay}. The file's bytes are: the overlay inside {@code extents}, else the
 * base below {@code baseValid}, else zeros, up to the inode's size. Immutable.
 *
 * @param overlay   the overlay file's number in the volume's staging folder
 * @param base      the content the changes apply to
 * @param baseValid bytes of {@code base} still part of the file
 * @param extents   written ranges, sorted and disjoint
 */
public record Staging(long overlay, FileContent base, long baseValid, List<Extent> extents) {
    public Staging {
        extents = List.copyOf(extents);
        if (baseValid < 0 || baseValid > base.size()) {
            throw new IllegalArgumentException("base valid length " + baseValid + " outside 0.." + base.size());
        }
        for (int i = 1; i < extents.size(); i++) {
            if (extents.get(i).start() <= extents.get(i - 1).end()) {
                throw new IllegalArgumentException("extents overlap or touch: " + extents);
            }
        }
    }
}
