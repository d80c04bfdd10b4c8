package org.ipam.metal3.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A request for one address from the IPPool named by {@code spec.pool}, answered with an IPAddress
 * and {@code status.address}, or with {@code status.errorMessage}.
 */
@Group(IPPool.GROUP)
@Version(IPPool.VERSION)
@Plural("ipclaims")
@ShortNames({
  "ipc",
  "ipclaim",
  "m3ipc",
  "m3ipclaim",
  "m3ipclaims",
  "metal3ipc",
  "metal3ipclaim",
  "metal3ipclaims"
})
// Columns beyond upstream's Age (docs/compat/metal3.md): the pool, the IPAddress that holds the
// claim's address (named <namePrefix>-<address>), and why none was allocated.
@Categories({"cluster-api", "ipam"})
@AdditionalPrinterColumn(name = "Pool", jsonPath = ".spec.pool.name")
@AdditionalPrinterColumn(name = "IPAddress", jsonPath = ".status.address.name")
@AdditionalPrinterColumn(name = "Error", jsonPath = ".status.errorMessage")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class IPClaim extends CustomResource<IPClaimSpec, IPClaimStatus> implements Namespaced {
  public static final String FINALIZER = "ipclaim.ipam.metal3.io";

  /** Annotation that asks for one specific address. */
  public static final String IP_ADDRESS_ANNOTATION = "ipAddress";

  @Override
  @Required
  public IPClaimSpec getSpec() {
    return super.getSpec();
  }
}
