package org.ipam.mandelsoft.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.ipam.core.alloc.Allocation;
import org.ipam.core.alloc.AllocationResult;
import org.ipam.core.alloc.BlockPlacement;
import org.ipam.core.alloc.PoolAllocator;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRangeSpec;
import org.junit.jupiter.api.Test;

/**
 * FirstMatch placement as the binding asks for it (the allocator's best fit over the range's
 * intervals), against upstream's verified orders (reference/mandelsoft.md 2.6).
 */
class FirstMatchOrderTest {
  private static PoolAllocator allocator(String... ranges) {
    IPAMRange range = new IPAMRange();
    range.setMetadata(new ObjectMetaBuilder().withNamespace("default").withName("r").build());
    IPAMRangeSpec spec = new IPAMRangeSpec();
    spec.setRanges(List.of(ranges));
    range.setSpec(spec);
    RangeServing serving = RangeServing.of(range);
    assertThat(serving.valid()).isTrue();
    return new PoolAllocator(serving.allocator());
  }

  private static String alloc(PoolAllocator allocator, String owner, int prefix) {
    AllocationResult result = allocator.allocateBlock(owner, prefix, BlockPlacement.BEST_FIT);
    return result instanceof Allocation a ? a.block().toString() : "none";
  }

  @Test
  void theReadmeExampleMatchesUpstream() {
    // d-ctl-readme: chunkSize 24 on 192.168.0.0/16, then size 32, then 24.
    PoolAllocator allocator = allocator("192.168.0.0/16");
    assertThat(
            List.of(
                alloc(allocator, "a", 24),
                alloc(allocator, "b", 24),
                alloc(allocator, "c", 32),
                alloc(allocator, "d", 24)))
        .containsExactly("192.168.0.0/24", "192.168.1.0/24", "192.168.2.0/32", "192.168.3.0/24");
  }

  @Test
  void bestFitIsNotLowestAddress() {
    // d-bestfit-not-lowest.
    PoolAllocator allocator = allocator("10.0.0.0/24");
    assertThat(alloc(allocator, "a", 25)).isEqualTo("10.0.0.0/25");
    assertThat(alloc(allocator, "b", 27)).isEqualTo("10.0.0.128/27");
    allocator.release("a");
    assertThat(alloc(allocator, "c", 26)).isEqualTo("10.0.0.192/26");
  }

  @Test
  void multiRangeSmallBlocksFirst() {
    // d-bestfit-multi-range.
    PoolAllocator allocator = allocator("10.0.0.0/24", "10.0.5.0/28", "10.0.9.0/27");
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      got.add(alloc(allocator, "r" + i, 28));
    }
    got.add(alloc(allocator, "big", 27));
    assertThat(got).containsExactly("10.0.5.0/28", "10.0.9.0/28", "10.0.9.16/28", "10.0.0.0/27");
  }

  @Test
  void nonAlignedRangeSinglesTakeTheSmallestBlockFirst() {
    // d-nonaligned-order: .20, .10, .11, .12 ...
    PoolAllocator allocator = allocator("10.0.0.10-10.0.0.20");
    List<String> got = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      got.add(alloc(allocator, "r" + i, 32));
    }
    assertThat(got).containsExactly("10.0.0.20/32", "10.0.0.10/32", "10.0.0.11/32", "10.0.0.12/32");
  }

  @Test
  void ipv6CapacityComesBackAfterARelease() {
    // d-ctl-ipv6-no-rejoin, d-ipv6-rejoin-48: upstream never re-merged at /65 and wider.
    PoolAllocator allocator = allocator("2001:db8:1::/48");
    assertThat(alloc(allocator, "one", 128)).isEqualTo("2001:db8:1::/128");
    allocator.release("one");
    assertThat(alloc(allocator, "whole", 48)).isEqualTo("2001:db8:1::/48");
  }
}
