package com.communitypulse.alerts;

import java.io.Serializable;

/**
 * Source of {@code emitted_at}, the one wall-clock field of an alert. Injected so that harness tests
 * can assert exact records; everything that decides whether and when an alert fires is event time.
 */
@FunctionalInterface
public interface WallClock extends Serializable {
    long now();

    static WallClock system() {
        return System::currentTimeMillis;
    }

    static WallClock fixed(long millis) {
        return () -> millis;
    }
}
