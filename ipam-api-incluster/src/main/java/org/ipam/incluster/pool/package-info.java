/**
 * Pure functions over the pools' address strings, as upstream's {@code poolutil}: the syntax of an
 * entry ({@link org.ipam.incluster.pool.AddressSyntax}), sets of ranges ({@link
 * org.ipam.incluster.pool.IpSet}), and what an IP pool or a prefix pool may hand out ({@link
 * org.ipam.incluster.pool.IPPoolAddresses}, {@link org.ipam.incluster.pool.PrefixPoolPrefixes}). No
 * Kubernetes calls; the webhooks and the allocation adapter share them.
 */
package org.ipam.incluster.pool;
