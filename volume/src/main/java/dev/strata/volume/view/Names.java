package dev.strata.volume.view;

import java.nio.charset.StandardCharsets;

/** Names between views (strings) and the volume's state (bytes). Stateless. */
final class Names {
    private Names() {
    }

    static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] name) {
        return new String(name, StandardCharsets.UTF_8);
    }
}
