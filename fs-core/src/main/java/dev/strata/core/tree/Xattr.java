package dev.strata.core.tree;

import java.util.Arrays;

/** One extended attribute: its full name (namespace included) and raw value. Immutable. */
public record Xattr(String name, byte[] value) implements Comparable<Xattr> {
    public Xattr {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bad xattr name '" + name + "'");
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public int compareTo(Xattr o) {
        return Arrays.compareUnsigned(Names.utf8(name), Names.utf8(o.name));
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
