package org.ipam.mandelsoft.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipam.core.webhook.AdmissionReviews;
import org.ipam.core.webhook.AdmissionValidator;
import org.ipam.mandelsoft.model.IPAMRange;
import org.ipam.mandelsoft.model.IPAMRangeSpec;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestSpec;
import org.ipam.mandelsoft.model.ObjectReference;
import org.junit.jupiter.api.Test;

/**
 * The two webhooks as the controller serves them: what they refuse, what they admit with a warning,
 * and that a refusal travels as a 422 naming object, field and value. Bad input tried: a bad range
 * entry, shrinking ranges, a changed chunkSize and mode, a request outside its range, a request of
 * the other family, a changed request spec; and ranges missing, invalid or unreadable.
 */
class MandelsoftValidatorsTest {
  private final IPAMRangeValidator ranges = new IPAMRangeValidator();

  private static IPAMRange range(Integer chunkSize, String mode, String... entries) {
    IPAMRange range = new IPAMRange();
    range.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("pool").build());
    IPAMRangeSpec spec = new IPAMRangeSpec();
    spec.setRanges(List.of(entries));
    spec.setChunkSize(chunkSize);
    spec.setMode(mode);
    range.setSpec(spec);
    return range;
  }

  private static IPAMRequest request(Integer size, String specific) {
    IPAMRequest request = new IPAMRequest();
    request.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("req").build());
    IPAMRequestSpec spec = new IPAMRequestSpec();
    spec.setIpam(new ObjectReference("pool", null));
    spec.setSize(size);
    spec.setRequest(specific);
    request.setSpec(spec);
    return request;
  }

  private static IPAMRequestValidator requestsWith(IPAMRange range) {
    return new IPAMRequestValidator((namespace, name) -> Optional.ofNullable(range));
  }

  @Test
  void aRangeIsRefusedForABadEntryNamingObjectFieldAndValue() {
    assertThat(ranges.validate(range(24, null, "10.0.0.0/16", "10.1.0.0/33"), null))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("IPAMRange ns/pool: spec.ranges[1] \"10.1.0.0/33\"");
  }

  @Test
  void rangesMayGrowButNotShrinkAndChunkSizeAndModeStay() {
    IPAMRange stored = range(24, null, "10.0.0.0/16");
    assertThat(ranges.validate(range(24, null, "10.0.0.0/16", "10.1.0.0/16"), stored)).isEmpty();
    assertThat(ranges.validate(range(24, null, "10.0.0.0/17"), stored))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("spec.ranges \"10.0.0.0/17\" no longer covers");
    assertThat(ranges.validate(range(26, null, "10.0.0.0/16"), stored))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("spec.chunkSize \"26\" cannot be modified (was 24)");
    assertThat(ranges.validate(range(24, "RoundRobin", "10.0.0.0/16"), stored))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("spec.mode \"RoundRobin\" cannot be modified");
  }

  @Test
  void anUpdateThatKeepsTheSpecIsAdmittedEvenForARangeStoredInvalid() {
    IPAMRange stored = range(null, "Sometimes", "10.0.0.0/33");
    IPAMRange withFinalizer = range(null, "Sometimes", "10.0.0.0/33");
    withFinalizer.getMetadata().setFinalizers(List.of("mandelsoft.org/ipam"));
    assertThat(ranges.validate(withFinalizer, stored)).isEmpty();
  }

  @Test
  void aRequestIsCheckedAgainstTheRangeItNames() {
    IPAMRequestValidator validator = requestsWith(range(24, null, "192.168.0.0/16"));
    assertThat(validator.review(request(null, "10.0.0.0/24"), null).refusals())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .isEqualTo(
            "IPAMRequest ns/req: spec.request \"10.0.0.0/24\" is not inside IPAMRange ns/pool");
    assertThat(validator.review(request(null, "2001:db8::/64"), null).refusals())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("spec.request \"2001:db8::/64\" is IPv6");
    assertThat(validator.review(request(64, null), null).refusals())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("spec.size \"64\" is larger than the width");
    assertThat(validator.review(request(null, "192.168.7.0/24"), null).refusals()).isEmpty();
  }

  @Test
  void aRangeMissingInvalidOrUnreadableAdmitsTheRequestWithAWarning() {
    assertThat(requestsWith(null).review(request(null, "10.0.0.0/24"), null))
        .satisfies(
            v -> {
              assertThat(v.refusals()).isEmpty();
              assertThat(v.warnings()).singleElement().asString().contains("does not exist");
            });
    assertThat(
            requestsWith(range(null, null, "10.0.0.0/33"))
                .review(request(null, "10.0.0.0/24"), null)
                .warnings())
        .singleElement()
        .asString()
        .contains("IPAMRange ns/pool is not valid");
    IPAMRequestValidator unreadable =
        new IPAMRequestValidator(
            (namespace, name) -> {
              throw new IllegalStateException("no answer");
            });
    assertThat(unreadable.review(request(null, "10.0.0.0/24"), null).warnings())
        .singleElement()
        .asString()
        .contains("could not be read (no answer)");
  }

  @Test
  void aRequestSpecStaysAsCreatedButItsMetadataMayChange() {
    IPAMRequestValidator validator = requestsWith(range(24, null, "192.168.0.0/16"));
    IPAMRequest stored = request(24, null);
    assertThat(validator.validate(request(26, null), stored))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("spec.size \"26\" cannot be modified (was 24)");
    assertThat(validator.validate(request(24, "192.168.9.0/24"), stored))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("spec.request \"192.168.9.0/24\" cannot be modified (was unset)");
    IPAMRequest withFinalizer = request(24, null);
    withFinalizer.getMetadata().setFinalizers(List.of("mandelsoft.org/ipam"));
    assertThat(validator.validate(withFinalizer, stored)).isEmpty();
  }

  @Test
  void aRefusalIsA422ThatNamesObjectFieldAndValue() throws Exception {
    Map<String, Object> review =
        Map.of(
            "apiVersion",
            "admission.k8s.io/v1",
            "kind",
            "AdmissionReview",
            "request",
            Map.of(
                "uid",
                "u1",
                "operation",
                "CREATE",
                "object",
                range(24, "Sideways", "10.0.0.0/16")));
    AdmissionValidator<IPAMRange> validator = ranges;
    String answer =
        new String(
            AdmissionReviews.answer(
                validator, Serialization.asJson(review).getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);
    assertThat(answer)
        .contains("\"allowed\":false")
        .contains("\"code\":422")
        .contains("IPAMRange ns/pool: spec.mode \\\"Sideways\\\" is not a mode");
  }
}
