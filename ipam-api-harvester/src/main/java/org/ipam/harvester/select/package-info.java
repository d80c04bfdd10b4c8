/**
 * Pool selection for Harvester LoadBalancers (reference/harvester.md, section 2): pure functions of
 * a LoadBalancer and the pools, no Kubernetes client.
 */
package org.ipam.harvester.select;
