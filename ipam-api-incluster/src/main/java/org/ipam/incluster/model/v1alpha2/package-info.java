/**
 * v1alpha2, the storage version of all four pool kinds and the hub of conversion: InClusterIPPool
 * and GlobalInClusterIPPool (reference/incluster.md 1.2), InClusterPrefixPool and
 * GlobalInClusterPrefixPool (1.4). The Global kinds are cluster-scoped.
 */
package org.ipam.incluster.model.v1alpha2;
