package org.ipam.core.plan;

/**
 * Something plan has to say about one object or file: an error (the apply would be refused, or a
 * claim would not be served; the plan fails) or a warning (admitted, but surprising).
 *
 * @param source where the object was read ({@code file#n}), or the file
 * @param message names the object, the field and the value, as the webhooks do
 */
public record Finding(Severity severity, String source, String message) {
  public enum Severity {
    ERROR,
    WARNING
  }

  public static Finding error(String source, String message) {
    return new Finding(Severity.ERROR, source, message);
  }

  public static Finding warning(String source, String message) {
    return new Finding(Severity.WARNING, source, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }
}
