/**
 * The rules of IPAMRange and IPAMRequest as pure functions: the webhook and the controller (with
 * webhooks off) answer with the same lines.
 */
package org.ipam.mandelsoft.rules;
