package org.ipam.harvester.adapter;

import java.time.Clock;
import org.ipam.core.engine.AllocationEngine;
import org.ipam.core.engine.LedgerFeed;

/**
 * What the two groups' reconcilers share: one engine, one routing of LoadBalancers to pools (pool
 * names are one name space across the groups), one ledger feed, one status writer per claim kind.
 */
record HarvesterDialectParts(
    AllocationEngine engine,
    Clock clock,
    ClaimRoutes routes,
    PoolWakeups wakeups,
    ClaimWriters writers,
    LedgerFeed ledgers,
    RoutelessNotices notices,
    KnownPools known) {}
