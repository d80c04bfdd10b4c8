package org.ipam.mandelsoft.rules;

import java.util.List;
import org.ipam.core.net.Cidr;

/** What a valid request asks of its range, or why it cannot be served. */
public sealed interface Ask {
  /** An aligned block of this prefix length, wherever the range's mode places it. */
  record Sized(int prefixLength) implements Ask {}

  /** Exactly this block ({@code spec.request}; an IP is a /32 or /128). */
  record Exact(Cidr block) implements Ask {}

  /** The request breaks a rule; one line per problem. */
  record Refused(List<String> problems) implements Ask {}
}
