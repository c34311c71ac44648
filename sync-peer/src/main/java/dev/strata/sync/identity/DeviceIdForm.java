package dev.strata.sync.identity;

/**
 * The written form of a device ID (docs/sync.md, "Device IDs"): the 32 bytes in base32 (RFC 4648
 * alphabet, 52 characters), cut into four groups of 13 characters, each followed by a check
 * character (Luhn mod 32 over the group's position and its characters), shown as eight blocks of
 * seven joined by dashes. Stateless.
 */
final class DeviceIdForm {
    static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    static final int GROUPS = 4;
    static final int GROUP_DATA = 13;
    static final int GROUP_LENGTH = GROUP_DATA + 1;
    static final int BLOCK = 7;
    /** Characters without dashes: 4 × (13 + 1). */
    static final int LENGTH = GROUPS * GROUP_LENGTH;
    private static final int BYTES = 32;

    private DeviceIdForm() {
    }

    static String format(byte[] id) {
        String data = base32(id);
        StringBuilder plain = new StringBuilder(LENGTH);
        for (int g = 0; g < GROUPS; g++) {
            String group = data.substring(g * GROUP_DATA, (g + 1) * GROUP_DATA);
            plain.append(group).append(checkCharacter(g, group));
        }
        StringBuilder out = new StringBuilder(LENGTH + LENGTH / BLOCK - 1);
        for (int i = 0; i < LENGTH; i += BLOCK) {
            if (i > 0) {
                out.append('-');
            }
            out.append(plain, i, i + BLOCK);
        }
        return out.toString();
    }

    /**
     * Reads an ID as people type it: either case, with or without dashes and spaces, and with the
     * digits 0, 1 and 8 taken for the letters O, I and B they are mistaken for (base32 has no such
     * digits). Throws {@link IllegalArgumentException} saying what is wrong.
     */
    static byte[] parse(String text) {
        StringBuilder plain = new StringBuilder(LENGTH);
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toUpperCase(text.charAt(i));
            if (c == '-' || c == ' ') {
                continue;
            }
            c = switch (c) {
                case '0' -> 'O';
                case '1' -> 'I';
                case '8' -> 'B';
                default -> c;
            };
            if (ALPHABET.indexOf(c) < 0) {
                throw new IllegalArgumentException("'" + text.charAt(i) + "' is not a device ID character (A-Z, 2-7)");
            }
            plain.append(c);
        }
        if (plain.length() != LENGTH) {
            throw new IllegalArgumentException("a device ID has " + LENGTH + " letters and digits besides its dashes, this one "
                    + plain.length());
        }
        StringBuilder data = new StringBuilder(GROUPS * GROUP_DATA);
        for (int g = 0; g < GROUPS; g++) {
            String group = plain.substring(g * GROUP_LENGTH, g * GROUP_LENGTH + GROUP_DATA);
            char check = plain.charAt(g * GROUP_LENGTH + GROUP_DATA);
            if (checkCharacter(g, group) != check) {
                int first = g * (GROUP_LENGTH / BLOCK) + 1;
                throw new IllegalArgumentException("blocks " + first + " and " + (first + 1)
                        + " do not match their check character: a character there is mistyped");
            }
            data.append(group);
        }
        return unbase32(data);
    }

    /**
     * Luhn mod 32 over the group's position (so that swapped groups are caught too) and its characters:
     * catches every single mistyped character and every swap of two neighbours but A and 7.
     */
    static char checkCharacter(int groupIndex, CharSequence group) {
        int factor = 2;
        int sum = 0;
        int n = ALPHABET.length();
        for (int i = group.length(); i >= 0; i--) {
            int value = i == 0 ? groupIndex : ALPHABET.indexOf(group.charAt(i - 1));
            int addend = factor * value;
            factor = factor == 2 ? 1 : 2;
            sum += addend / n + addend % n;
        }
        return ALPHABET.charAt((n - sum % n) % n);
    }

    private static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder(GROUPS * GROUP_DATA);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    private static byte[] unbase32(CharSequence chars) {
        byte[] out = new byte[BYTES];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < chars.length(); i++) {
            buffer = (buffer << 5) | ALPHABET.indexOf(chars.charAt(i));
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            // 52 characters carry 260 bits; the last 4 are zero in every ID this form writes.
            throw new IllegalArgumentException("the last character of block 8's data is not one a device ID ends with: a character is mistyped");
        }
        return out;
    }
}
