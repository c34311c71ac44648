package dev.strata.core.tree;

import dev.strata.core.name.NameBytes;
import dev.strata.core.name.Printable;

import java.util.Arrays;

/** One extended attribute: its full name (namespace included; bytes, see {@link NameBytes}) and raw value. Immutable. */
public record Xattr(String name, byte[] value) implements Comparable<Xattr> {
    public Xattr {
        if (name.isEmpty() || name.indexOf('\0') >= 0 || !NameBytes.isCanonical(name)) {
            throw new IllegalArgumentException("bad xattr name '" + Printable.of(name) + "'");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public int compareTo(Xattr o) {
        return NameBytes.compare(name, o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xattr && name.equals(((Xattr) o).name) && Arrays.equals(value, ((Xattr) o).value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=(" + value.length + " bytes)";
    }
}
