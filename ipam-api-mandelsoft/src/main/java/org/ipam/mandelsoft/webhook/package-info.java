/**
 * The validating webhooks of IPAMRange and IPAMRequest (upstream never had one: the README asks
 * users not to modify specs). They answer with the rules of {@code org.ipam.mandelsoft.rules}, the
 * same lines the controller writes into status when webhooks are off.
 */
package org.ipam.mandelsoft.webhook;
