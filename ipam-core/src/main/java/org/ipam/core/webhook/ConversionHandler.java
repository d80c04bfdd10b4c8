package org.ipam.core.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Converts the objects of some kinds of one API group between the versions their CRD serves, as a
 * dialect defines it: the conversion webhook the CRDs name ({@code spec.conversion.strategy:
 * Webhook}). The controller answers every ConversionReview at {@link #path()} through {@link
 * ConversionReviews}, which hands each object to the handler of its group and kind.
 *
 * <p>The contract of the API server holds: the converted object keeps its name, namespace, uid and
 * every other metadata field (the API server restores them anyway); only labels and annotations may
 * change. A conversion must be a pure function of the object: no API calls, no clock.
 */
public interface ConversionHandler {
  /** For example {@code ipam.cluster.x-k8s.io}. */
  String group();

  /** The kinds of {@link #group()} this handler converts. */
  Set<String> kinds();

  /**
   * The object, given in any served version of one of {@link #kinds()}, in {@code
   * desiredApiVersion} ({@code <group>/<version>}). Called only when the two versions differ.
   *
   * @throws IllegalArgumentException when the object cannot be read or converted; the message names
   *     the object, the field and the value, and the whole review fails with it
   */
  ObjectNode convert(ObjectNode object, String desiredApiVersion);

  /** Where the CRDs' {@code spec.conversion.webhook.clientConfig} points: {@code /convert}. */
  default String path() {
    return "/convert";
  }
}
