package org.ipam.harvester.adapter;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the pass of a pool by name, whichever group's reconciler serves it: a LoadBalancer routed
 * to a pool, or moved away from one, must be looked at by that pool's next pass, and the
 * LoadBalancer informer belongs to one reconciler only.
 */
final class PoolWakeups {
  private final Map<String, SimpleInboundEventSource<?>> byGroup = new ConcurrentHashMap<>();

  /** The event source through which a group's reconciler is woken (one per group). */
  void register(String group, SimpleInboundEventSource<?> source) {
    byGroup.put(group, source);
  }

  void wake(String group, String pool) {
    SimpleInboundEventSource<?> source = byGroup.get(group);
    if (source != null) {
      source.propagateEvent(new ResourceID(pool));
    }
  }
}
