package org.ipam.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ipam.core.capi.IPAddressClaim;
import org.ipam.core.capi.IPAddressClaimSpec;
import org.ipam.core.capi.PoolReference;
import org.ipam.core.engine.Crds;
import org.ipam.metal3.adapter.Metal3DialectModule;
import org.ipam.metal3.model.IPAddress;
import org.ipam.metal3.model.IPClaim;
import org.ipam.metal3.model.IPClaimSpec;
import org.ipam.metal3.model.IPPool;

/** Metal3 objects the e2e tests create and read, as a user's manifests would. */
final class Metal3Objects {
  private final KubernetesClient client;
  private final String namespace;

  Metal3Objects(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Installs the Metal3 dialect's CRDs when missing (a kind cluster starts without them). */
  static void installCrds(KubernetesClient client) {
    Metal3DialectModule dialect = new Metal3DialectModule();
    if (!Crds.missing(client, dialect.requiredCrds()).isEmpty()) {
      Crds.install(client, Metal3DialectModule.class.getClassLoader(), dialect.crdResources());
    }
  }

  /**
   * Installs the Metal3 dialect's CRDs, the Cluster API IPAddressClaim and IPAddress among them,
   * when any of the five is missing (a cluster may have the Metal3 ones without the Cluster API
   * ones).
   */
  static void installCrdsWithCapi(KubernetesClient client) {
    Metal3DialectModule dialect = new Metal3DialectModule();
    List<String> names = new ArrayList<>(dialect.requiredCrds());
    names.add("ipaddressclaims.ipam.cluster.x-k8s.io");
    names.add("ipaddresses.ipam.cluster.x-k8s.io");
    if (!Crds.missing(client, names).isEmpty()) {
      Crds.install(client, Metal3DialectModule.class.getClassLoader(), dialect.crdResources());
    }
  }

  void createNamespace() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
  }

  /** A pool of one IPv4 range, 10.20.0.1 to 10.20.3.254. */
  void createPool(String name) {
    client
        .resource(
            """
            apiVersion: ipam.metal3.io/v1alpha1
            kind: IPPool
            metadata:
              name: %s
              namespace: %s
            spec:
              namePrefix: %s
              pools:
                - start: 10.20.0.1
                  end: 10.20.3.254
              prefix: 22
            """
                .formatted(name, namespace, name))
        .create();
  }

  /** A pool of one IPv4 range, start to end inclusive, whose namePrefix is its name. */
  void createPool(String name, String start, String end, int prefix) {
    client
        .resource(
            """
            apiVersion: ipam.metal3.io/v1alpha1
            kind: IPPool
            metadata:
              name: %s
              namespace: %s
            spec:
              namePrefix: %s
              pools:
                - start: %s
                  end: %s
              prefix: %d
            """
                .formatted(name, namespace, name, start, end, prefix))
        .create();
  }

  /** One IPClaim on the pool, as stored (with its uid). */
  IPClaim newIpClaim(String pool, String name) {
    IPClaim claim = new IPClaim();
    claim.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    IPClaimSpec spec = new IPClaimSpec();
    spec.setPool(new ObjectReferenceBuilder().withName(pool).build());
    claim.setSpec(spec);
    return client.resources(IPClaim.class).inNamespace(namespace).resource(claim).create();
  }

  /** One Cluster API IPAddressClaim whose poolRef is the Metal3 pool, as stored (with its uid). */
  IPAddressClaim newCapiClaim(String pool, String name) {
    IPAddressClaim claim = new IPAddressClaim();
    claim.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    claim.setSpec(new IPAddressClaimSpec(new PoolReference(IPPool.GROUP, "IPPool", pool)));
    return client.resources(IPAddressClaim.class).inNamespace(namespace).resource(claim).create();
  }

  /** The IPClaim of this name, or null. */
  IPClaim ipClaim(String name) {
    return client.resources(IPClaim.class).inNamespace(namespace).withName(name).get();
  }

  /** Deletes the IPClaim of this name (nothing when it is gone already). */
  void deleteIpClaim(String name) {
    client.resources(IPClaim.class).inNamespace(namespace).withName(name).delete();
  }

  /**
   * Deletes the IPClaim of this name and uid, never a later claim of the name: a delete by name
   * that reaches the API server late (retried after a lost answer on a busy machine) would delete
   * the claim created after it.
   */
  void deleteIpClaim(String name, String uid) {
    IPClaim incarnation = new IPClaim();
    incarnation.setMetadata(
        new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid(uid).build());
    org.ipam.core.engine.ObjectWrites.delete(client, incarnation);
  }

  /** Whether a claim of this kind (IPClaim, IPAddressClaim) and name exists. */
  boolean claimExists(Class<? extends HasMetadata> kind, String name) {
    return client.resources(kind).inNamespace(namespace).withName(name).get() != null;
  }

  /** Creates claims {@code prefix-0} to {@code prefix-(count-1)} from parallel threads at once. */
  void createClaimsAtOnce(String pool, String prefix, int count) {
    java.util.stream.IntStream.range(0, count)
        .parallel()
        .forEach(i -> createClaims(pool, prefix, i, i + 1));
  }

  /** Claim name to address text, from the IPAddress objects (what a claim really holds). */
  Map<String, String> addressesByClaim() {
    Map<String, String> byClaim = new TreeMap<>();
    for (IPAddress address :
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems()) {
      byClaim.put(address.getSpec().getClaim().getName(), address.getSpec().getAddress());
    }
    return byClaim;
  }

  int addressCount() {
    return client.resources(IPAddress.class).inNamespace(namespace).list().getItems().size();
  }

  void createClaims(String pool, String prefix, int from, int to) {
    for (int i = from; i < to; i++) {
      client
          .resource(
              """
              apiVersion: ipam.metal3.io/v1alpha1
              kind: IPClaim
              metadata:
                name: %s-%d
                namespace: %s
              spec:
                pool:
                  name: %s
              """
                  .formatted(prefix, i, namespace, pool))
          .create();
    }
  }

  /** Claim name to the name of its IPAddress, for the claims that have one. */
  Map<String, String> claimAddresses() {
    Map<String, String> served = new TreeMap<>();
    for (IPClaim claim : client.resources(IPClaim.class).inNamespace(namespace).list().getItems()) {
      if (claim.getStatus() != null && claim.getStatus().getAddress() != null) {
        served.put(claim.getMetadata().getName(), claim.getStatus().getAddress().getName());
      }
    }
    return served;
  }

  /** The address text of every IPAddress object. */
  List<String> addresses() {
    List<String> addresses = new ArrayList<>();
    for (IPAddress address :
        client.resources(IPAddress.class).inNamespace(namespace).list().getItems()) {
      addresses.add(address.getSpec().getAddress());
    }
    return addresses;
  }
}
