package dev.strata.image.browse;

/**
 * CRC32C (Castagnoli) as ext4's metadata checksums use it: a running value in, no inversion in or
 * out, so checksums can be chained over several pieces. Stateless.
 */
final class Crc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32c() {
    }

    static int update(int crc, byte[] b, int off, int len) {
        int c = crc;
        for (int i = off; i < off + len; i++) {
            c = TABLE[(c ^ b[i]) & 0xFF] ^ (c >>> 8);
        }
        return c;
    }

    static int updateInt(int crc, int value) {
        byte[] b = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        return update(crc, b, 0, 4);
    }

    static int updateLong(int crc, long value) {
        return updateInt(updateInt(crc, (int) value), (int) (value >>> 32));
    }
}
