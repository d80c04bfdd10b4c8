/**
 * The Harvester load-balancer API as the CRDs serve it: IPPool in both groups (the code's {@code
 * loadbalancer.harvesterhci.io} and the documentation's {@code networking.harvesterhci.io}), and
 * the LoadBalancer fields IPAM reads and writes. JSON names as upstream (reference/harvester.md,
 * section 1).
 */
package org.ipam.harvester.model;
