/**
 * The in-cluster dialect served through the engine: InClusterIPPool and GlobalInClusterIPPool
 * reconcilers, their binding (versioned ledger in the pool's status) and the records that map
 * Cluster API claims and IPAddresses to pools.
 */
package org.ipam.incluster.adapter;
