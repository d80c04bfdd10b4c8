/**
 * Harvester dialect: load-balancer IPPools with ranges, selectors, priority and allocation history.
 */
package org.ipam.harvester;
