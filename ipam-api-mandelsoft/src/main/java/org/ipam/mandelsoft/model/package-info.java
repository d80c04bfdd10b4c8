/**
 * ipam.mandelsoft.org/v1alpha1, wire-compatible with mandelsoft/kubipam: IPAMRange and IPAMRequest
 * (reference/mandelsoft.md 1.1-1.3), plus the range's allocation ledger.
 */
package org.ipam.mandelsoft.model;
