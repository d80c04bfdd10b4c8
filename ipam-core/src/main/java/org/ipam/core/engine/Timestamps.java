package org.ipam.core.engine;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Kubernetes metadata timestamps (RFC 3339, set by the API server) as instants. Read where a
 * dialect feeds objects to the engine, so a value that does not parse (never expected from an API
 * server; possible from a hand-made object in a test or a mock) must not throw out of an informer
 * callback or a pass: it reads as the fallback the caller chooses.
 */
public final class Timestamps {
  private Timestamps() {}

  /** The instant {@code timestamp} names, or {@code fallback} when it is null or does not parse. */
  public static Instant parseOr(String timestamp, Instant fallback) {
    if (timestamp == null) {
      return fallback;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }
}
