/**
 * Cluster API in-cluster dialect: ipam.cluster.x-k8s.io/v1alpha2 InClusterIPPool and
 * GlobalInClusterIPPool serving CAPI IPAddressClaims.
 */
package org.ipam.incluster;
