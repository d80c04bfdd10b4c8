/**
 * The pool allocator every dialect wraps: pools of segments (ranges or CIDRs with their prefix,
 * gateway and DNS servers), reserved addresses, pre-allocations, preferred addresses and an order
 * policy; single addresses and aligned blocks; exact counts; rebuild from existing allocations.
 * Costs grow with the number of allocated intervals, never with the size of the pool. No Kubernetes
 * types, no I/O, not thread-safe: the engine serialises each pool.
 */
package org.ipam.core.alloc;
