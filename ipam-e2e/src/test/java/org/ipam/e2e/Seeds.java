package org.ipam.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The Metal3 seed examples, as ipam-api-metal3's tests keep them (copied verbatim). */
final class Seeds {
  private Seeds() {}

  static Path path(String file) {
    return E2eSettings.repositoryRoot()
        .resolve("ipam-api-metal3/src/test/resources/seeds/metal3")
        .resolve(file);
  }

  static String read(String file) {
    try {
      return Files.readString(path(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
