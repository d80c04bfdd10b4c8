package org.ipam.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.OrderPolicy;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.core.alloc.PoolSpec;
import org.ipam.core.alloc.Segment;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.junit.jupiter.api.Test;

/**
 * How the pool's allocator follows the spec a pass brings. Harvester's history preferences change
 * with every release and its round-robin cursor lives in the pool's status: a rebuild per release
 * cost a pass its time and, when the cached status lagged, sent round robin back to the start (a
 * recreated LoadBalancer's neighbour got the lowest address instead of the next one).
 */
class PoolStateFollowTest {
  private static final PoolKey POOL = new PoolKey("test", "", "pool");

  private static PoolSpec roundRobin(Map<String, Ip> preferred) {
    return PoolSpec.of(
            IpFamily.IPV4,
            List.of(
                Segment.of(new IpRange(ip("10.0.0.1"), ip("10.0.0.4"))),
                Segment.of(new IpRange(ip("10.0.1.1"), ip("10.0.1.4")))))
        .withOrder(OrderPolicy.NEXT_AFTER_LAST, 0)
        .withPreferred(preferred);
  }

  @Test
  void aChangeOfPreferencesAloneKeepsTheAllocatorAndItsCursor() {
    PoolState<String> state = new PoolState<>(POOL);
    state.follow(roundRobin(Map.of()), Optional.empty());
    PoolAllocator allocator = state.allocator();
    assertThat(address(allocator.allocate("a"))).isEqualTo("10.0.0.1");
    assertThat(address(allocator.allocate("b"))).isEqualTo("10.0.0.2");
    allocator.release("a");

    state.follow(roundRobin(Map.of("a", ip("10.0.0.1"))), Optional.of(ip("10.0.1.4")));

    assertThat(state.allocator()).isSameAs(allocator);
    assertThat(address(allocator.allocate("c"))).isEqualTo("10.0.0.3");
    assertThat(address(allocator.allocate("a"))).isEqualTo("10.0.0.1");

    // The preference is gone: another owner may take the address; a stale one is forgotten.
    allocator.release("a");
    state.follow(roundRobin(Map.of("x", ip("10.0.1.2"))), Optional.empty());
    assertThat(state.allocator()).isSameAs(allocator);
    assertThat(address(allocator.allocate("x"))).isEqualTo("10.0.1.2");
    allocator.release("x");
    state.follow(roundRobin(Map.of()), Optional.empty());
    assertThat(address(allocator.allocate("x"))).isEqualTo("10.0.1.3");
  }

  @Test
  void aRebuiltAllocatorGoesOnAfterThePersistedCursorAndWraps() {
    PoolState<String> state = new PoolState<>(POOL);
    state.follow(roundRobin(Map.of()), Optional.of(ip("10.0.0.4")));
    assertThat(address(state.allocator().allocate("a"))).isEqualTo("10.0.1.1");

    PoolState<String> wrapping = new PoolState<>(POOL);
    wrapping.follow(roundRobin(Map.of()), Optional.of(ip("10.0.1.4")));
    assertThat(address(wrapping.allocator().allocate("a"))).isEqualTo("10.0.0.1");

    PoolState<String> outside = new PoolState<>(POOL);
    outside.follow(roundRobin(Map.of()), Optional.of(ip("192.168.0.9")));
    assertThat(address(outside.allocator().allocate("a"))).isEqualTo("10.0.0.1");

    // A change of ranges rebuilds, and the new allocator starts after the cursor given.
    PoolAllocator before = state.allocator();
    state.follow(
        PoolSpec.of(IpFamily.IPV4, List.of(Segment.of(new IpRange(ip("10.0.0.1"), ip("10.0.0.9")))))
            .withOrder(OrderPolicy.NEXT_AFTER_LAST, 0),
        Optional.of(ip("10.0.0.6")));
    assertThat(state.allocator()).isNotSameAs(before);
    assertThat(address(state.allocator().allocate("b"))).isEqualTo("10.0.0.7");
  }

  private static String address(Object result) {
    return ((Allocation) result).address().toString();
  }

  private static Ip ip(String text) {
    return Ip.parse(text);
  }
}
