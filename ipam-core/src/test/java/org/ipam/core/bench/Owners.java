package org.ipam.core.bench;

/**
 * Owner names of 20 characters, made up front so that their own memory is not counted against the
 * allocator.
 */
final class Owners {
  private Owners() {}

  static String[] names(int count) {
    String[] names = new String[count];
    for (int i = 0; i < count; i++) {
      names[i] = String.format("claim-ns01-%09d", i);
    }
    return names;
  }
}
