package org.ipam.incluster.webhook;

import java.util.List;

/**
 * What a pool's spec rules find: errors (the webhook refuses the object; with webhooks off the
 * controller would record them on the pool) and warnings (admitted, but surprising), each a line
 * {@code <Kind> <ns>/<name>: <field> "<value>" <problem>}.
 */
public record SpecFindings(List<String> errors, List<String> warnings) {
  public SpecFindings {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }
}
