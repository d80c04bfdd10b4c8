package org.ipam.mandelsoft.webhook;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Objects;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.ipam.mandelsoft.rules.RangeRules;

/**
 * The validating webhook of IPAMRanges ({@link RangeRules#validate}): on create the range's own
 * rules; on update also that its ranges only grow and chunkSize and mode stay. An update that
 * leaves the spec as it is (our finalizer, a label) is admitted, and so is any update of a range
 * being deleted: the rules judge specs, and a range stored before the webhook existed must not stop
 * the controller from writing its metadata.
 */
public final class IPAMRangeValidator implements AdmissionValidator<IPAMRange> {
  @Override
  public Class<IPAMRange> type() {
    return IPAMRange.class;
  }

  @Override
  public Target target() {
    return new Target(
        MandelsoftApi.GROUP, MandelsoftApi.VERSION, "ipamranges", MandelsoftApi.RANGE_KIND);
  }

  @Override
  public List<String> validate(IPAMRange range, IPAMRange stored) {
    if (range.getMetadata().getDeletionTimestamp() != null || sameSpec(range, stored)) {
      return List.of();
    }
    return RangeRules.validate(range, stored);
  }

  private static boolean sameSpec(IPAMRange range, IPAMRange stored) {
    return stored != null
        && Objects.equals(
            Serialization.asJson(range.getSpec()), Serialization.asJson(stored.getSpec()));
  }
}
