/**
 * The in-cluster validating webhooks (reference/incluster.md section 3): the spec rules as pure
 * functions ({@link org.ipam.incluster.webhook.IPPoolSpecRules}, {@link
 * org.ipam.incluster.webhook.PrefixPoolSpecRules}) that a controller can also record on a pool when
 * webhooks are off; the four pool validators, which judge updates and deletes against the addresses
 * in use ({@link org.ipam.incluster.webhook.InUseAddresses}, injected); the validators of Cluster
 * API claims and IPAddresses of in-cluster pools ({@link
 * org.ipam.incluster.webhook.CapiClaimValidator}, {@link
 * org.ipam.incluster.webhook.CapiAddressValidator}); and the live lookups the controller injects
 * ({@link org.ipam.incluster.webhook.LiveLookups}).
 */
package org.ipam.incluster.webhook;
