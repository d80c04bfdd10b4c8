package org.ipam.mandelsoft.rules;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.ipam.core.net.Cidr;
import org.ipam.core.net.Ip;
import org.ipam.core.net.IpParser;
import org.ipam.core.net.Parsed;
import org.ipam.core.webhook.FieldProblems;
import org.ipam.mandelsoft.model.IPAMRequest;
import org.ipam.mandelsoft.model.IPAMRequestSpec;
import org.ipam.mandelsoft.model.ObjectReference;

/**
 * The rules an IPAMRequest must follow, as pure functions. {@link #validate} needs the request
 * alone (what a webhook can check without reading the range); {@link #against} adds what depends on
 * the range (its family and width, whether the block lies inside) and says what the request asks.
 * Each line names the object, the field and the value ({@link FieldProblems}).
 */
public final class RequestRules {
  /** The widest address (IPv6); the range's own width is checked in {@link #against}. */
  private static final int MAX_WIDTH = 128;

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private RequestRules() {}

  /**
   * The request's own rules, and on update ({@code old} not null) that its spec stays as created
   * (the description excepted): an allocation is made for the spec it was asked with.
   */
  public static List<String> validate(IPAMRequest request, IPAMRequest old) {
    FieldProblems problems = new FieldProblems(request);
    ownRules(request, problems);
    if (old != null && old.getSpec() != null && request.getSpec() != null) {
      IPAMRequestSpec now = request.getSpec();
      IPAMRequestSpec before = old.getSpec();
      if (!Objects.equals(now.getIpam(), before.getIpam())) {
        problems.add(
            "spec.ipam",
            describe(now.getIpam()),
            "cannot be modified (was " + describe(before.getIpam()) + ")");
      }
      if (!Objects.equals(sizeOf(now.getSize()), sizeOf(before.getSize()))) {
        problems.add(
            "spec.size", now.getSize(), "cannot be modified (was " + shown(before.getSize()) + ")");
      }
      if (!Objects.equals(now.getRequest(), before.getRequest())) {
        problems.add(
            "spec.request",
            now.getRequest(),
            "cannot be modified (was " + shown(before.getRequest()) + ")");
      }
    }
    return problems.lines();
  }

  /** What the request asks of a valid range, or why it cannot be served by it. */
  public static Ask against(IPAMRequest request, RangeShape range, String rangeName) {
    FieldProblems problems = new FieldProblems(request);
    Cidr exact = ownRules(request, problems);
    if (!problems.lines().isEmpty()) {
      return new Ask.Refused(problems.lines());
    }
    Integer size = request.getSpec().getSize();
    if (size != null && size > range.width()) {
      problems.add(
          "spec.size",
          size,
          "is larger than the width of "
              + rangeName
              + " ("
              + range.family()
              + ", /"
              + range.width()
              + ")");
    }
    if (exact != null) {
      if (exact.family() != range.family()) {
        problems.add(
            "spec.request",
            request.getSpec().getRequest(),
            "is " + exact.family() + " but " + rangeName + " is " + range.family());
      } else if (!range.contains(exact.range())) {
        problems.add("spec.request", request.getSpec().getRequest(), "is not inside " + rangeName);
      }
    } else {
      int prefix = range.effectiveSize(size);
      if (prefix < range.widestPrefix() && (size == null || size <= range.width())) {
        problems.add(
            size != null && size > 0 ? "spec.size" : "spec.size (from the range's chunkSize)",
            prefix,
            "is wider than any block of "
                + rangeName
                + " (the widest is /"
                + range.widestPrefix()
                + ")");
      }
    }
    if (!problems.lines().isEmpty()) {
      return new Ask.Refused(problems.lines());
    }
    return exact != null ? new Ask.Exact(exact) : new Ask.Sized(range.effectiveSize(size));
  }

  /** The rules that need no range; returns the parsed {@code spec.request}, if any and valid. */
  private static Cidr ownRules(IPAMRequest request, FieldProblems problems) {
    IPAMRequestSpec spec = request.getSpec();
    if (spec == null) {
      problems.add("spec", "is missing");
      return null;
    }
    ObjectReference ipam = spec.getIpam();
    if (ipam == null || ipam.getName() == null || ipam.getName().isEmpty()) {
      problems.add(
          "spec.ipam.name",
          ipam == null ? "" : String.valueOf(ipam.getName()),
          "is empty: name the IPAMRange to allocate from");
    } else if (ipam.getName().length() > 253 || !DNS_SUBDOMAIN.matcher(ipam.getName()).matches()) {
      problems.add("spec.ipam.name", ipam.getName(), "is not an object name (RFC 1123 subdomain)");
    }
    if (ipam != null
        && ipam.getNamespace() != null
        && !ipam.getNamespace().isEmpty()
        && (ipam.getNamespace().length() > 63
            || !DNS_LABEL.matcher(ipam.getNamespace()).matches())) {
      problems.add(
          "spec.ipam.namespace", ipam.getNamespace(), "is not a namespace name (RFC 1123 label)");
    }
    Integer size = spec.getSize();
    if (size != null && (size < 0 || size > MAX_WIDTH)) {
      problems.add(
          "spec.size",
          size,
          "is not a prefix length: give 1..32 (IPv4) or 1..128 (IPv6), or leave it unset");
    }
    String text = spec.getRequest();
    if (text == null || text.trim().isEmpty()) {
      return null;
    }
    // Upstream trims the request; so do we, and refuse everything else it would misread.
    String trimmed = text.trim();
    if (trimmed.indexOf('/') >= 0) {
      Parsed<Cidr> cidr = IpParser.parseCidr(trimmed);
      if (cidr instanceof Parsed.Invalid<Cidr> invalid) {
        problems.add("spec.request", text, invalid.reason() + ": give an aligned CIDR or an IP");
        return null;
      }
      Cidr block = cidr.orElseThrow();
      if (block.hasHostBits()) {
        problems.add(
            "spec.request",
            text,
            "has host bits set: the block is " + block.masked() + " (a request must be aligned)");
        return null;
      }
      return block;
    }
    Parsed<Ip> ip = IpParser.parseAddress(trimmed);
    if (ip instanceof Parsed.Invalid<Ip> invalid) {
      problems.add("spec.request", text, invalid.reason() + ": give an aligned CIDR or an IP");
      return null;
    }
    return new Cidr(ip.orElseThrow(), ip.orElseThrow().family().bits());
  }

  /** A previous value as a message shows it: an unset field says so rather than "null". */
  private static String shown(Object value) {
    return value == null ? "unset" : value.toString();
  }

  private static int sizeOf(Integer size) {
    return size == null || size < 0 ? 0 : size;
  }

  private static String describe(ObjectReference ref) {
    if (ref == null) {
      return "";
    }
    return (ref.getNamespace() == null || ref.getNamespace().isEmpty()
            ? ""
            : ref.getNamespace() + "/")
        + ref.getName();
  }
}
