/**
 * The in-cluster validating webhooks (reference/incluster.md section 3): the spec rules as pure
 * functions ({@link org.ipam.incluster.webhook.IPPoolSpecRules}, {@link
 * org.ipam.incluster.webhook.PrefixPoolSpecRules}) that a controller can also record on a pool when
 * webhooks are off, and the four pool validators, which judge updates and deletes against the
 * addresses in use ({@link org.ipam.incluster.webhook.InUseAddresses}, injected).
 */
package org.ipam.incluster.webhook;
