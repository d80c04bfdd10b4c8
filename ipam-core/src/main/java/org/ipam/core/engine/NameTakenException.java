package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * An address object could not be created because an object of its name exists and is not the
 * claim's (see {@link ObjectWrites#createOrAccept}). It carries that object, so that a dialect can
 * tell the claim what is in the way when it will not go by itself: an object of another dialect or
 * made by hand, as opposed to an earlier incarnation's on its way out.
 */
public final class NameTakenException extends IllegalStateException {
  private final transient HasMetadata existing;

  NameTakenException(String message, HasMetadata existing, Throwable cause) {
    super(message, cause);
    this.existing = existing;
  }

  /** The object in the way; null when it was gone by the time it was read. */
  public HasMetadata existing() {
    return existing;
  }

  /** Whether the object in the way is being deleted (it goes by itself; nothing to tell). */
  public boolean goingAway() {
    return existing == null || existing.getMetadata().getDeletionTimestamp() != null;
  }
}
