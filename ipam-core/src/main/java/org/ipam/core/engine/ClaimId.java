package org.ipam.core.engine;

/**
 * Who a claim is. The uid is the identity: a claim deleted and created again under the same name is
 * another claim, and nothing the first one held is ever handed to the second.
 */
public record ClaimId(String kind, String namespace, String name, String uid) {
  public ClaimId {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException(kind + " " + namespace + "/" + name + " has no uid");
    }
  }

  /** {@code Kind namespace/name}, how log lines and events name a claim. */
  public String describe() {
    return kind + " " + namespace + "/" + name;
  }
}
