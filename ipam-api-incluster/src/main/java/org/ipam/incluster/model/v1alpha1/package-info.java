/**
 * v1alpha1 of InClusterIPPool and GlobalInClusterIPPool (reference/incluster.md 1.3): served and
 * deprecated, never stored. The classes carry a {@code V1alpha1} suffix so that the conversion
 * code, which needs both versions, names neither by its package; {@code @Kind} gives them their API
 * kind.
 */
package org.ipam.incluster.model.v1alpha1;
