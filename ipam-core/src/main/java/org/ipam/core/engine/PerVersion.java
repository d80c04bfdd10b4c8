package org.ipam.core.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What a dialect derives from a pool's spec (its translation for the allocator), kept per pool and
 * computed again only when the pool's version changes (its uid and generation, and whatever else
 * the dialect puts in the version), not on every pass.
 */
public final class PerVersion<K, V> {
  private record Cached<V>(String version, V value) {}

  private final Map<K, Cached<V>> cache = new ConcurrentHashMap<>();

  /** The value for this version of the pool; {@code compute} runs only for a new version. */
  public V get(K key, String version, Supplier<V> compute) {
    return cache
        .compute(
            key,
            (k, cached) ->
                cached != null && cached.version().equals(version)
                    ? cached
                    : new Cached<>(version, compute.get()))
        .value();
  }

  public void forget(K key) {
    cache.remove(key);
  }
}
