/**
 * Identifiers shared by every layer: chunk ids, pack ids and their hex form. Imports nothing else
 * from Strata.
 */
package dev.strata.core.id;
