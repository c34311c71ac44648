/**
 * The {@code images/} folder of a mount as view nodes: {@code <name>/<time>/disk.img} and
 * {@code partN.img}. Builds on snapshot.view (context, chunk reader, virtual folders); must not
 * import FUSE.
 */
package dev.strata.image.view;
