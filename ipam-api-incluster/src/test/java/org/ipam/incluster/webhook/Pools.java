package org.ipam.incluster.webhook;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterIPPool;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterPrefixPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterPrefixPool;

/**
 * Pools from YAML spec text ({@code \n} for new lines), and a lookup that records its questions.
 */
final class Pools {
  private Pools() {}

  static InClusterIPPool ipPool(String spec) {
    return read(InClusterIPPool.class, "InClusterIPPool", "  namespace: ns\n", spec);
  }

  static GlobalInClusterIPPool globalIpPool(String spec) {
    return read(GlobalInClusterIPPool.class, "GlobalInClusterIPPool", "", spec);
  }

  static InClusterPrefixPool prefixPool(String spec) {
    return read(InClusterPrefixPool.class, "InClusterPrefixPool", "  namespace: ns\n", spec);
  }

  static GlobalInClusterPrefixPool globalPrefixPool(String spec) {
    return read(GlobalInClusterPrefixPool.class, "GlobalInClusterPrefixPool", "", spec);
  }

  private static <T extends HasMetadata> T read(
      Class<T> type, String kind, String namespace, String spec) {
    String yaml =
        "apiVersion: ipam.cluster.x-k8s.io/v1alpha2\nkind: "
            + kind
            + "\nmetadata:\n  name: p\n"
            + namespace
            + (spec == null ? "" : "spec:\n" + spec.replace("\\n", "\n").indent(2));
    return Serialization.unmarshal(yaml, type);
  }

  static <T extends HasMetadata> T annotated(T pool, String key) {
    pool.getMetadata().setAnnotations(Map.of(key, ""));
    return pool;
  }

  /** Answers from a fixed list, and remembers which pools it was asked about. */
  static final class FixedInUse implements InUseAddresses {
    final List<PoolRef> asked = new ArrayList<>();
    private final List<AddressInUse> addresses;

    FixedInUse(List<AddressInUse> addresses) {
      this.addresses = addresses;
    }

    static FixedInUse of(String... addressesAndPrefixes) {
      List<AddressInUse> list = new ArrayList<>();
      for (int i = 0; i < addressesAndPrefixes.length; i++) {
        String[] parts = addressesAndPrefixes[i].split("/");
        list.add(
            new AddressInUse(
                "ns", "c" + (i + 1), parts[0], parts.length > 1 ? Integer.valueOf(parts[1]) : 24));
      }
      return new FixedInUse(list);
    }

    @Override
    public Optional<List<AddressInUse>> of(PoolRef pool) {
      asked.add(pool);
      return Optional.of(addresses);
    }
  }
}
