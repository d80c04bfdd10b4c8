package org.ipam.core.net;

import java.util.function.Function;

/**
 * The result of parsing user text: the value, or why the text is not one. Bad input is an ordinary
 * outcome here, so it is a value rather than an exception; {@link #orElseThrow()} is for text that
 * is known to be valid.
 */
public sealed interface Parsed<T> {
  record Valid<T>(T value) implements Parsed<T> {}

  /** {@code text} is what was given, {@code reason} says what is wrong with it. */
  record Invalid<T>(String text, String reason) implements Parsed<T> {
    /** For example {@code "10.0.0.300" is not an IP address}. */
    public String message() {
      return "\"" + text + "\" " + reason;
    }
  }

  static <T> Parsed<T> valid(T value) {
    return new Valid<>(value);
  }

  static <T> Parsed<T> invalid(String text, String reason) {
    return new Invalid<>(text, reason);
  }

  default boolean isValid() {
    return this instanceof Valid;
  }

  default T orElseThrow() {
    if (this instanceof Valid<T> valid) {
      return valid.value();
    }
    throw new IllegalArgumentException(((Invalid<T>) this).message());
  }

  /** The message of an invalid result, or null. */
  default String error() {
    return this instanceof Invalid<T> invalid ? invalid.message() : null;
  }

  @SuppressWarnings("unchecked")
  default <R> Parsed<R> map(Function<T, R> mapper) {
    return this instanceof Valid<T> valid
        ? new Valid<>(mapper.apply(valid.value()))
        : (Parsed<R>) this;
  }
}
