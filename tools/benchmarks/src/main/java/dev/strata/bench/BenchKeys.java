package dev.strata.bench;

import dev.strata.core.crypto.MasterKey;

/** A fixed master key, so that every run chunks and encrypts with the same keyed tables. */
final class BenchKeys {
    private BenchKeys() {
    }

    static MasterKey masterKey() {
        byte[] secret = new byte[MasterKey.SECRET_LENGTH];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (31 * i + 7);
        }
        byte[] id = new byte[MasterKey.REPOSITORY_ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = (byte) (0xA5 ^ i);
        }
        return MasterKey.of(secret, id);
    }
}
