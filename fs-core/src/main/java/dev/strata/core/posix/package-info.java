/**
 * The native POSIX layer: what backup, restore and disk images need from Linux that the JDK
 * cannot do (full {@code statx} metadata, extended attributes and ACLs without following links,
 * device nodes, ownership and nanosecond times of symlinks, sparse-file extents, user and group
 * names, block device geometry), behind the {@link dev.strata.core.posix.Posix} facade.
 *
 * <p>Imports only jnr-ffi, the JDK and the name leaf ({@code core.name}); nothing else from Strata. Native structs are read and
 * written at explicit offsets ({@code statx} has one layout on every architecture). Constants are
 * the Linux generic ({@code asm-generic}) values shared by x86, x86-64, arm, arm64, riscv, ppc
 * and s390x; alpha, mips, sparc and parisc, which renumber some errno values, are not supported.
 * Paths and names are passed to the kernel as their exact bytes ({@link dev.strata.core.posix.PathBytes},
 * {@link dev.strata.core.name.NameBytes}).
 */
package dev.strata.core.posix;
