package org.ipam.incluster.webhook;

import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpFamily;
import org.ipam.core.net.IpRange;
import org.ipam.core.net.Parsed;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.incluster.model.PoolStatus;
import org.ipam.incluster.model.v1alpha2.GlobalInClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPool;
import org.ipam.incluster.model.v1alpha2.InClusterIPPoolSpec;
import org.ipam.incluster.pool.AddressSyntax;
import org.ipam.incluster.pool.IPPoolAddresses;
import org.ipam.incluster.pool.IpSet;

/**
 * The validating webhook of InClusterIPPool and GlobalInClusterIPPool (reference/incluster.md 3.1):
 * the spec rules of {@link IPPoolSpecRules}; on UPDATE, no address in use may stop being
 * allocatable (upstream's U1), whether the change shrinks the addresses, excludes it, makes it the
 * gateway or reserves it; on DELETE, the protection of {@link PoolValidator}.
 *
 * <p>Unlike upstream, an update is judged only on what it takes away: an address in use that was
 * already out of range (a pool shrunk with webhooks off) does not block unrelated changes.
 */
public final class IPPoolValidator<T extends CustomResource<InClusterIPPoolSpec, PoolStatus>>
    extends PoolValidator<T, InClusterIPPoolSpec> {

  private IPPoolValidator(Class<T> type, InUseAddresses inUse) {
    super(type, inUse);
  }

  public static IPPoolValidator<InClusterIPPool> namespaced(InUseAddresses inUse) {
    return new IPPoolValidator<>(InClusterIPPool.class, inUse);
  }

  public static IPPoolValidator<GlobalInClusterIPPool> global(InUseAddresses inUse) {
    return new IPPoolValidator<>(GlobalInClusterIPPool.class, inUse);
  }

  @Override
  SpecFindings checkSpec(T pool) {
    return IPPoolSpecRules.check(pool, pool.getSpec());
  }

  @Override
  void checkUpdate(T pool, T old, FieldProblems problems) {
    if (old.getSpec() == null) {
      return;
    }
    InClusterIPPoolSpec spec = pool.getSpec();
    IpSet lost =
        IPPoolAddresses.allocatable(old.getSpec()).minus(IPPoolAddresses.allocatable(spec));
    if (lost.isEmpty()) {
      return;
    }
    Optional<List<InUseAddresses.AddressInUse>> addresses = inUse(old);
    if (addresses.isEmpty()) {
      problems.add(
          "spec",
          "takes addresses out of the pool ("
              + lost
              + ") while the addresses in use are not known (the IPAddresses of the pool could not"
              + " be read); try again in a moment");
      return;
    }
    Causes causes = new Causes(spec);
    for (InUseAddresses.AddressInUse address : addresses.get()) {
      if (AddressSyntax.parseAddress(address.address()) instanceof Parsed.Valid<Ip> valid
          && lost.contains(valid.value())) {
        causes.add(valid.value(), address);
      }
    }
    causes.report(problems, spec);
  }

  /** Why each lost address in use is lost under the new spec, grouped by field. */
  private static final class Causes {
    private final IpSet addresses;
    private final List<String> excluded;
    private final Ip gateway;
    private final List<String> outsideAddresses = new ArrayList<>();
    private final Map<Integer, List<String>> byExcludedEntry = new TreeMap<>();
    private final List<String> gatewayInUse = new ArrayList<>();
    private final List<String> reserved = new ArrayList<>();

    Causes(InClusterIPPoolSpec spec) {
      this.addresses = AddressSyntax.toSet(spec.getAddresses());
      this.excluded = spec.getExcludedAddresses() == null ? List.of() : spec.getExcludedAddresses();
      this.gateway = IPPoolAddresses.gateway(spec);
    }

    void add(Ip ip, InUseAddresses.AddressInUse address) {
      if (!addresses.contains(ip)) {
        outsideAddresses.add(address.describe());
        return;
      }
      for (int i = 0; i < excluded.size(); i++) {
        if (AddressSyntax.parseEntry(excluded.get(i)) instanceof Parsed.Valid<IpRange> range
            && range.value().contains(ip)) {
          byExcludedEntry.computeIfAbsent(i, k -> new ArrayList<>()).add(address.describe());
          return;
        }
      }
      if (ip.equals(gateway)) {
        gatewayInUse.add(address.describe());
        return;
      }
      reserved.add(address.describe());
    }

    void report(FieldProblems problems, InClusterIPPoolSpec spec) {
      if (!outsideAddresses.isEmpty()) {
        problems.add(
            "spec.addresses",
            "leave out addresses in use: "
                + EntryChecks.some(outsideAddresses)
                + " (pool addresses do not contain allocated addresses)");
      }
      byExcludedEntry.forEach(
          (index, inUse) ->
              problems.add(
                  "spec.excludedAddresses[" + index + "]",
                  excluded.get(index),
                  "excludes addresses in use: " + EntryChecks.some(inUse)));
      if (!gatewayInUse.isEmpty()) {
        problems.add(
            "spec.gateway", spec.getGateway(), "is in use: " + EntryChecks.some(gatewayInUse));
      }
      if (!reserved.isEmpty()) {
        Optional<Cidr> subnet = IPPoolAddresses.inferredSubnet(spec);
        problems.add(
            "spec.allocateReservedIPAddresses",
            Boolean.TRUE.equals(spec.getAllocateReservedIPAddresses()),
            "reserves addresses in use: "
                + EntryChecks.some(reserved)
                + subnet
                    .map(
                        s ->
                            " (the "
                                + (s.family() == IpFamily.IPV4
                                    ? "network and broadcast addresses"
                                    : "subnet-router anycast address")
                                + " of "
                                + s.masked()
                                + ")")
                    .orElse(""));
      }
    }
  }
}
