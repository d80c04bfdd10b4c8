package org.ipam.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadingKeyManagerTest {
  private static void write(Path dir, TlsMaterial.Pem pem, Instant when) throws IOException {
    Files.writeString(dir.resolve("tls.crt"), pem.certificate());
    Files.writeString(dir.resolve("tls.key"), pem.key());
    Files.setLastModifiedTime(dir.resolve("tls.crt"), FileTime.from(when));
    Files.setLastModifiedTime(dir.resolve("tls.key"), FileTime.from(when));
  }

  private static java.math.BigInteger serialOf(TlsMaterial.Pem pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem.certificate()))) {
      return ((X509CertificateHolder) parser.readObject()).getSerialNumber();
    }
  }

  private static java.math.BigInteger served(ReloadingKeyManager keys) {
    String alias = keys.chooseServerAlias("RSA", null, null);
    X509Certificate[] chain = keys.getCertificateChain(alias);
    return chain[0].getSerialNumber();
  }

  @Test
  void presentsTheRenewedCertificateOnceTheFilesChange(@TempDir Path dir) throws Exception {
    TlsMaterial.Pem first = TlsMaterial.selfSignedPem();
    TlsMaterial.Pem renewed = TlsMaterial.selfSignedPem();
    Instant start = Instant.parse("2026-11-21T00:00:00Z");
    write(dir, first, start);
    ReloadingKeyManager keys = new ReloadingKeyManager(dir);
    assertThat(served(keys)).isEqualTo(serialOf(first));

    write(dir, renewed, start.plusSeconds(60));
    assertThat(served(keys)).isEqualTo(serialOf(renewed));
  }

  @Test
  void keepsThePreviousCertificateWhileTheNewPairIsHalfWritten(@TempDir Path dir) throws Exception {
    TlsMaterial.Pem first = TlsMaterial.selfSignedPem();
    Instant start = Instant.parse("2026-11-21T00:00:00Z");
    write(dir, first, start);
    ReloadingKeyManager keys = new ReloadingKeyManager(dir);

    Files.writeString(dir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\ntruncated");
    Files.setLastModifiedTime(dir.resolve("tls.key"), FileTime.from(start.plusSeconds(60)));
    assertThat(served(keys)).isEqualTo(serialOf(first));
  }

  @Test
  void refusesFilesWithoutACertificateOrAKey(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tls.crt"), "not pem");
    Files.writeString(dir.resolve("tls.key"), TlsMaterial.selfSignedPem().key());
    assertThatThrownBy(() -> new ReloadingKeyManager(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no PEM certificate in tls.crt");

    Files.writeString(dir.resolve("tls.crt"), TlsMaterial.selfSignedPem().certificate());
    Files.writeString(dir.resolve("tls.key"), "not pem");
    assertThatThrownBy(() -> new ReloadingKeyManager(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no PEM private key");
  }
}
