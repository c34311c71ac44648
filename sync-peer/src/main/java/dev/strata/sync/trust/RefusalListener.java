package dev.strata.sync.trust;

import dev.strata.sync.identity.DeviceId;

/** Hears of every certificate the pinning refused, to log it. Implementations must be thread-safe. */
@FunctionalInterface
public interface RefusalListener {
    /**
     * @param presented the device ID the other side's certificate stands for
     * @param from      its address, or "?" when the handshake did not say
     * @param why       one line
     */
    void refused(DeviceId presented, String from, String why);
}
