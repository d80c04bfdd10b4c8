package org.ipam.core.engine;

import org.ipam.core.alloc.PoolCounts;

/**
 * What one pass over a pool did. {@code retrySoon} is set when a write lost to a competing writer
 * or failed: the dialect schedules the pool again shortly instead of waiting for the next event.
 */
public record PassReport(
    int allocated, int failed, int released, boolean retrySoon, PoolCounts counts) {}
