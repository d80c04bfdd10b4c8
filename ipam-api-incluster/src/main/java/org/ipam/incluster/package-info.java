/**
 * The Cluster API in-cluster dialect ({@code ipam.cluster.x-k8s.io}), a drop-in for
 * cluster-api-ipam-provider-in-cluster: InClusterIPPool and GlobalInClusterIPPool (v1alpha2, and
 * v1alpha1 through conversion), InClusterPrefixPool and GlobalInClusterPrefixPool (v1alpha2),
 * serving Cluster API IPAddressClaims. The API layer: {@code model} (the CRD classes), {@code pool}
 * (the address syntax and what a pool hands out, as pure functions), {@code webhook} (validation)
 * and {@code conversion} (v1alpha1 and v1alpha2).
 */
package org.ipam.incluster;
