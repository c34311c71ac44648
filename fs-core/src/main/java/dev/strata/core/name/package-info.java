/**
 * File names as Linux has them: byte strings, held in Strata as Java strings through one bijective
 * mapping ({@link dev.strata.core.name.NameBytes}) and shown to people through one escaping
 * ({@link dev.strata.core.name.Printable}). A leaf that every layer may import; imports only the JDK.
 */
package dev.strata.core.name;
