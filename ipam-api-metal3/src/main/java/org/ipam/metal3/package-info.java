/**
 * Metal3 dialect: ipam.metal3.io/v1alpha1 IPPool, IPClaim and IPAddress, and CAPI IPAddressClaims
 * whose poolRef is a metal3 IPPool.
 */
package org.ipam.metal3;
