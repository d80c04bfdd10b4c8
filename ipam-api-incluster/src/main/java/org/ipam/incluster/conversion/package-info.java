/**
 * Conversion of InClusterIPPool and GlobalInClusterIPPool between v1alpha1 and v1alpha2
 * (reference/incluster.md 1.3): pure functions ({@link
 * org.ipam.incluster.conversion.IPPoolConversion}) and the ConversionReview handler the controller
 * serves at {@code /convert} ({@link org.ipam.incluster.conversion.IPPoolConversionHandler}).
 */
package org.ipam.incluster.conversion;
