package org.ipam.core.engine;

/**
 * A reconciler that applies only on some clusters (for example where an optional CRD is installed):
 * {@link OperatorStartup#reconcilers} leaves it out when {@link #enabled()} is false, so that no
 * informer waits for a resource the cluster does not serve.
 */
public interface EnabledWhen {
  boolean enabled();
}
