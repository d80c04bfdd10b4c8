/**
 * The in-cluster API's model: the names every manifest relies on ({@link
 * org.ipam.incluster.model.InClusterApi}) and the status all four pool kinds share. The CRD classes
 * are in {@code v1alpha2} (the storage version, the hub of conversion, and what the rest of the
 * dialect reads) and {@code v1alpha1} (served and deprecated; IP pools only). JSON names, markers
 * and printer columns follow reference/incluster.md 1.1-1.4.
 */
package org.ipam.incluster.model;
