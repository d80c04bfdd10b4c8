package org.ipam.core.plan;

import java.util.List;

/**
 * A dialect's part of {@code ipam-controller plan}, given by {@code DialectModule#planner()}. Plan
 * reads the files, offers every object to each enabled dialect's planner, and prints what they
 * answer; objects no planner reads are listed as skipped.
 */
public interface DialectPlanner {
  /**
   * Whether the object is one of this dialect's pools, claims or address objects. Asked of every
   * object read, with nothing validated yet: must not throw. A kind two dialects share (Cluster API
   * IPAddressClaim) is read by the dialect whose pool it references.
   */
  boolean reads(PlanObject object);

  /**
   * Validates the objects {@link #reads} accepted (in the files' order) with the same classes the
   * dialect's webhooks use, and allocates to the valid claims the way the controller would, from
   * the valid pools, with the address objects in the files holding their addresses ({@link
   * PoolSimulation}). Every problem is a {@link Finding} that names object, field and value. Never
   * calls an API server.
   */
  DialectPlan plan(List<PlanObject> objects);
}
