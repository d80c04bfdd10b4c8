/**
 * Addresses, ranges and CIDRs: strict parsing (no octal, hex or inet_aton forms, no zones, no empty
 * string meaning loopback) and canonical text (RFC 5952 for IPv6, as Go's netip prints it, so that
 * names and status fields match the upstream controllers byte for byte). IPv4 and IPv6 share one
 * representation: an unsigned 128-bit value whose IPv4 addresses occupy the low 32 bits. No
 * Kubernetes types.
 */
package org.ipam.core.net;
