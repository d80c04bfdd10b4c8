/**
 * The Metal3 validating webhooks (reference/metal3.md, section 3): the same spec rules the
 * controller records on a pool when webhooks are off, plus the immutability rules of updates.
 */
package org.ipam.metal3.webhook;
