package org.ipam.core.engine;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small writes every dialect makes, done the same way everywhere: a finalizer added by JSON
 * merge patch guarded by the resourceVersion the decision was based on (another controller may edit
 * the list at the same time: a stale write fails with 409 instead of dropping its finalizer) and
 * removed by an update of the live object (see {@link #removeFinalizer}), status by merge patch of
 * the status subresource, deletes that carry the object's uid. A patch never creates an object, so
 * a claim that disappeared stays gone (404).
 */
public final class ObjectWrites {
  private ObjectWrites() {}

  /**
   * Adds a finalizer if missing; false when the object no longer exists.
   *
   * @throws KubernetesClientException on a conflict or any other failure
   */
  public static boolean addFinalizer(
      KubernetesClient client, HasMetadata object, String finalizer) {
    List<String> finalizers = new ArrayList<>(object.getMetadata().getFinalizers());
    if (finalizers.contains(finalizer)) {
      return true;
    }
    finalizers.add(finalizer);
    return patchFinalizers(client, object, finalizers);
  }

  /**
   * Removes a finalizer if present; false when the object (this incarnation of it) no longer
   * exists.
   *
   * <p>An update, never a patch: when a write empties the finalizers of an object being deleted,
   * the API server judges that on the object it read, then deletes what is stored under the name in
   * a separate step, with the preconditions of the request; a patch carries none. Two controllers
   * letting go of one claim: the second patch, judged on the old claim, was followed by a delete
   * after a new claim of that name had been created, and the new claim went (seen in
   * Metal3RecreateIT, read in the API server's audit log). An update carries the object's uid,
   * which the API server makes a precondition of that delete. The object is read live first, whole,
   * so that the update keeps every field as it is stored; it is no longer guarded by the
   * resourceVersion the caller's decision was based on (the uid is checked), which is harmless for
   * a finalizer being let go.
   */
  public static boolean removeFinalizer(
      KubernetesClient client, HasMetadata object, String finalizer) {
    if (!object.getMetadata().getFinalizers().contains(finalizer)) {
      return true;
    }
    var resources =
        client.genericKubernetesResources(
            ResourceDefinitionContext.fromResourceType(object.getClass()));
    String namespace = object.getMetadata().getNamespace();
    io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
            GenericKubernetesResource,
            io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
            io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
        scoped =
            namespace == null || namespace.isEmpty() ? resources : resources.inNamespace(namespace);
    try {
      GenericKubernetesResource live = scoped.withName(object.getMetadata().getName()).get();
      String uid = object.getMetadata().getUid();
      if (live == null || (uid != null && !uid.equals(live.getMetadata().getUid()))) {
        return false;
      }
      List<String> finalizers = new ArrayList<>(live.getMetadata().getFinalizers());
      if (!finalizers.remove(finalizer)) {
        return true;
      }
      live.getMetadata().setFinalizers(finalizers);
      scoped.resource(live).update();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static boolean patchFinalizers(
      KubernetesClient client, HasMetadata object, List<String> finalizers) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("finalizers", finalizers);
    metadata.put("resourceVersion", object.getMetadata().getResourceVersion());
    return mergePatch(client, object, Map.of("metadata", metadata), false);
  }

  /**
   * Merge-patches the status subresource; false when the object no longer exists. The object's uid
   * goes with the patch: where the API server checks it (a Service's status, an object without a
   * status subresource), a late write for a deleted claim is refused instead of showing a new claim
   * of its name an address the pool has freed, and false is returned. A custom resource's status
   * subresource resets the patch's metadata to the stored object's before it validates, so there
   * the uid checks nothing (a known limit: a JSON Patch {@code test} of {@code /metadata/uid}
   * would, at the price of merge semantics).
   */
  public static boolean patchStatus(
      KubernetesClient client, HasMetadata object, Map<String, Object> status) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    try {
      return mergePatch(client, object, guardedByUid(object, body), true);
    } catch (KubernetesClientException e) {
      if (otherIncarnation(client, object, e)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The merge patch {@code body} with the object's uid in its metadata (beside what is there): the
   * API server refuses it (409 or 422) when the object of that name is another incarnation.
   */
  public static Map<String, Object> guardedByUid(HasMetadata object, Map<String, Object> body) {
    String uid = object.getMetadata().getUid();
    if (uid == null) {
      return body;
    }
    Map<String, Object> guarded = new LinkedHashMap<>(body);
    @SuppressWarnings("unchecked")
    Map<String, Object> given = (Map<String, Object>) body.get("metadata");
    Map<String, Object> metadata =
        given == null ? new LinkedHashMap<>() : new LinkedHashMap<>(given);
    metadata.put("uid", uid);
    guarded.put("metadata", metadata);
    return guarded;
  }

  /**
   * Whether a refused {@link #guardedByUid} write was refused because the object of that name is no
   * longer the one we read (one GET, on that refusal only).
   */
  public static boolean otherIncarnation(
      KubernetesClient client, HasMetadata object, KubernetesClientException refused) {
    String uid = object.getMetadata().getUid();
    if (uid == null || (refused.getCode() != 409 && refused.getCode() != 422)) {
      return false;
    }
    HasMetadata live;
    try {
      live = client.resource(object).get();
    } catch (KubernetesClientException unreadable) {
      refused.addSuppressed(unreadable);
      return false; // the refusal is thrown, with this beside it
    }
    return live == null || !uid.equals(live.getMetadata().getUid());
  }

  private static boolean mergePatch(
      KubernetesClient client, HasMetadata object, Map<String, Object> body, boolean status) {
    String json = Serialization.asJson(body);
    try {
      var resource = client.resource(object);
      if (status) {
        resource.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), json);
      } else {
        resource.patch(PatchContext.of(PatchType.JSON_MERGE), json);
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Deletes this incarnation of an object: the DELETE carries the object's uid as a precondition
   * (fabric8's delete sends none), so a delete that reaches the API server late (a request retried
   * after a lost answer, a slow one) cannot delete a new object that took the name meanwhile,
   * another claim's. An object already gone, or a name now held by another incarnation (409: the
   * only precondition sent is the uid), counts as deleted. An object without a uid, or of a kind
   * whose resource path the type does not say, is deleted by name.
   */
  public static void delete(KubernetesClient client, HasMetadata object) {
    String uid = object.getMetadata().getUid();
    try {
      if (uid == null || object instanceof GenericKubernetesResource) {
        client.resource(object).delete();
        return;
      }
      Map<String, Object> options = new LinkedHashMap<>();
      options.put("apiVersion", "v1");
      options.put("kind", "DeleteOptions");
      options.put("preconditions", Map.of("uid", uid));
      client.raw(resourcePath(object), "DELETE", options);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** The API path of a typed object: /api/v1/... or /apis/GROUP/VERSION/..., namespaced or not. */
  static String resourcePath(HasMetadata object) {
    String apiVersion = HasMetadata.getApiVersion(object.getClass());
    StringBuilder path = new StringBuilder(apiVersion.contains("/") ? "/apis/" : "/api/");
    path.append(apiVersion);
    String namespace = object.getMetadata().getNamespace();
    if (namespace != null && !namespace.isEmpty()) {
      path.append("/namespaces/").append(namespace);
    }
    return path.append('/')
        .append(HasMetadata.getPlural(object.getClass()))
        .append('/')
        .append(object.getMetadata().getName())
        .toString();
  }

  /**
   * Creates an address object whose name may already be taken: one that exists is accepted only
   * when {@code isOurs} says it is this claim's (a create retried after a lost answer); any other
   * (an earlier incarnation's on its way out, one made by hand) fails with a {@link
   * NameTakenException} of message {@code notOurs}, and the engine tries again after a backoff.
   */
  public static <T extends HasMetadata> void createOrAccept(
      KubernetesClient client, T object, java.util.function.Predicate<T> isOurs, String notOurs) {
    try {
      client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      T existing = client.resource(object).get();
      if (existing == null || !isOurs.test(existing)) {
        throw new NameTakenException(notOurs, existing, e);
      }
    }
  }

  /**
   * Releases an address object that is {@code ours} (it carries the releasing claim's uid): our
   * finalizer first, then a delete, unless it is already being deleted (it then goes with the
   * finalizer; a delete by name sent after that could hit a new object of that name, another
   * claim's). Returns true when nothing of it is left to us (gone, or released now), false when it
   * is not ours.
   */
  public static boolean releaseIfOurs(
      KubernetesClient client, HasMetadata object, boolean ours, String finalizer) {
    if (object == null) {
      return true;
    }
    if (!ours) {
      return false;
    }
    boolean alreadyDeleting = object.getMetadata().getDeletionTimestamp() != null;
    removeFinalizer(client, object, finalizer);
    if (!alreadyDeleting) {
      delete(client, object);
    }
    return true;
  }
}
