package dev.strata.volume.view;

import dev.strata.core.name.NameBytes;

/** Names between views (strings, {@link NameBytes}) and the volume's state (the exact bytes). Stateless. */
final class Names {
    private Names() {
    }

    static byte[] bytes(String name) {
        return NameBytes.encode(name);
    }

    static String string(byte[] name) {
        return NameBytes.decode(name);
    }
}
