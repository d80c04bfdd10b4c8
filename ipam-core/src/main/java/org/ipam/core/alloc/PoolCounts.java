package org.ipam.core.alloc;

import java.math.BigInteger;

/**
 * Exact counts, IPv6-sized. {@code total}: addresses the segments can hand out (reserved ones not
 * counted). {@code used}: of those, the ones allocated or pre-allocated. {@code free = total -
 * used}. {@code outOfRange}: allocated addresses that are not allocatable under the current spec
 * (outside every range, or reserved), for example after a pool shrank.
 */
public record PoolCounts(
    BigInteger total, BigInteger used, BigInteger free, BigInteger outOfRange) {}
