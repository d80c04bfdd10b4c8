/**
 * The Harvester dialect's reconcilers: LoadBalancers routed to pools ({@code ClaimRoutes}), served
 * through the engine with the pool's ledger as the commit point ({@code HarvesterPoolBinding},
 * {@code PoolLedger}).
 */
package org.ipam.harvester.adapter;
