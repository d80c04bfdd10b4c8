package org.ipam.mandelsoft.webhook;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.MandelsoftApi;
import org.ipam.mandelsoft.model.ObjectReference;
import org.ipam.mandelsoft.rules.Ask;
import org.ipam.mandelsoft.rules.RangeRules;
import org.ipam.mandelsoft.rules.RequestRules;

/**
 * The validating webhook of IPAMRequests. On create: the request's own rules ({@link
 * RequestRules#validate}), and, when the range it names exists and is valid, the rules that need
 * the range ({@link RequestRules#against}: family, width, {@code spec.request} inside). On update:
 * the spec stays as created. An update that leaves the spec as it is, or of a request being
 * deleted, is admitted (the controller writes finalizers).
 *
 * <p>A range that does not exist yet, is invalid, or cannot be read in time is no refusal: the
 * request is admitted with a warning, and the controller answers it in status (a request may be
 * created before its range, as upstream allows).
 */
public final class IPAMRequestValidator implements AdmissionValidator<IPAMRequest> {
  private final RangeLookup ranges;

  public IPAMRequestValidator(RangeLookup ranges) {
    this.ranges = ranges;
  }

  @Override
  public Class<IPAMRequest> type() {
    return IPAMRequest.class;
  }

  @Override
  public Target target() {
    return new Target(
        MandelsoftApi.GROUP, MandelsoftApi.VERSION, "ipamrequests", MandelsoftApi.REQUEST_KIND);
  }

  @Override
  public List<String> validate(IPAMRequest request, IPAMRequest stored) {
    return review(request, stored).refusals();
  }

  @Override
  public Verdict review(IPAMRequest request, IPAMRequest stored) {
    if (request.getMetadata().getDeletionTimestamp() != null
        || stored != null
            && Objects.equals(
                Serialization.asJson(request.getSpec()), Serialization.asJson(stored.getSpec()))) {
      return new Verdict(List.of(), List.of());
    }
    List<String> refusals = new ArrayList<>(RequestRules.validate(request, stored));
    List<String> warnings = new ArrayList<>();
    if (stored == null && refusals.isEmpty()) {
      againstRange(request, refusals, warnings);
    }
    return new Verdict(refusals, warnings);
  }

  private void againstRange(IPAMRequest request, List<String> refusals, List<String> warnings) {
    ObjectReference ref = request.getSpec().getIpam();
    String namespace =
        ref.getNamespace() == null || ref.getNamespace().isEmpty()
            ? request.getMetadata().getNamespace()
            : ref.getNamespace();
    String rangeName = MandelsoftApi.RANGE_KIND + " " + namespace + "/" + ref.getName();
    Optional<IPAMRange> range;
    try {
      range = ranges.find(namespace, ref.getName());
    } catch (RuntimeException e) {
      warnings.add(
          rangeName
              + " could not be read ("
              + e.getMessage()
              + "): the controller checks the request against it");
      return;
    }
    if (range.isEmpty()) {
      warnings.add(rangeName + " does not exist: the request waits (state Invalid) until it does");
      return;
    }
    RangeRules.Checked checked = RangeRules.check(range.get());
    if (!checked.valid()) {
      warnings.add(rangeName + " is not valid: the request waits until it is");
      return;
    }
    if (RequestRules.against(request, checked.shape(), rangeName) instanceof Ask.Refused refused) {
      refusals.addAll(refused.problems());
    }
  }
}
