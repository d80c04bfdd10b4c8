/**
 * The Harvester IPPool and LoadBalancer admission rules (reference/harvester.md, section 4) as pure
 * functions ({@link org.ipam.harvester.webhook.PoolRules}, {@link
 * org.ipam.harvester.webhook.LoadBalancerRules}), and the validating webhooks that serve them. The
 * controller applies the same pool rules when webhooks are off, and writes them on the pool.
 */
package org.ipam.harvester.webhook;
