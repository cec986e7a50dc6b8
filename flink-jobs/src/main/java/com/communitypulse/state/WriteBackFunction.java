package com.communitypulse.state;

import java.util.List;

/**
 * A keyed function whose values live in {@link WriteBackValue} caches. Run it with
 * {@link WriteBackOperators} so that the caches are bound to the operator's keyed backend and
 * flushed before every snapshot; under a plain operator they read and write the state directly.
 */
public interface WriteBackFunction {
    /** The function's caches, created in its {@code open}. */
    List<WriteBackValue<?, ?>> writeBackValues();
}
