package dev.strata.core.index;

import org.lmdbjava.Txn;

/**
 * A transaction handed to code outside this package, so that several {@link LmdbTable}s can be read
 * and changed atomically without those callers touching lmdbjava. Valid only inside the call that
 * handed it out; confined to the thread of that call.
 */
public final class LmdbTxn {
    final Txn<byte[]> txn;

    LmdbTxn(Txn<byte[]> txn) {
        this.txn = txn;
    }
}
