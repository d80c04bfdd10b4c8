/**
 * The Cluster API IPAM contract types (group {@code ipam.cluster.x-k8s.io}): IPAddressClaim and
 * IPAddress. Both the Metal3 and the in-cluster dialects serve claims of these kinds, so they live
 * beside the engine rather than in one dialect. Field names, constraints and printer columns follow
 * {@code sigs.k8s.io/cluster-api/api/ipam/v1beta2}.
 */
package org.ipam.core.capi;
