package dev.strata.sync.identity;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Reads the PEM blocks (RFC 7468) of a text: label and DER bytes. Stateless. */
final class Pem {
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    static List<Block> read(String text) {
        List<Block> blocks = new ArrayList<>();
        int at = 0;
        while (true) {
            int begin = text.indexOf("-----BEGIN ", at);
            if (begin < 0) {
                return blocks;
            }
            int labelEnd = text.indexOf("-----", begin + 11);
            if (labelEnd < 0) {
                throw new IllegalArgumentException("a PEM header without its end");
            }
            String label = text.substring(begin + 11, labelEnd);
            String footer = "-----END " + label + "-----";
            int end = text.indexOf(footer, labelEnd + 5);
            if (end < 0) {
                throw new IllegalArgumentException("no " + footer + " line");
            }
            blocks.add(new Block(label, Base64.getMimeDecoder().decode(text.substring(labelEnd + 5, end).strip())));
            at = end + footer.length();
        }
    }

    /** The DER of the one block labelled {@code label}; fails if there is none or more than one. */
    static byte[] only(List<Block> blocks, String label) {
        byte[] found = null;
        for (Block b : blocks) {
            if (b.label().equals(label)) {
                if (found != null) {
                    throw new IllegalArgumentException("more than one " + label);
                }
                found = b.der();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no " + label);
        }
        return found;
    }
}
