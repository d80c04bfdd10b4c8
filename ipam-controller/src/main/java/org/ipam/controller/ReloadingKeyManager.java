package org.ipam.controller;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presents the certificate that {@code tls.crt} and {@code tls.key} hold now. Each TLS handshake
 * looks at the files' modification times (a stat, no read) and loads them again when they changed;
 * a pair that does not load (cert-manager writes the two files one after the other) keeps the
 * previous certificate until the next handshake finds a good one.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);

  private final Path certificate;
  private final Path key;
  private volatile X509KeyManager current;
  private volatile String loadedVersion;

  ReloadingKeyManager(Path directory) throws IOException, GeneralSecurityException {
    this.certificate = directory.resolve(TlsMaterial.CERT_FILE);
    this.key = directory.resolve(TlsMaterial.KEY_FILE);
    String version = version();
    current = load();
    loadedVersion = version;
  }

  private String version() throws IOException {
    FileTime certificateTime = Files.getLastModifiedTime(certificate);
    FileTime keyTime = Files.getLastModifiedTime(key);
    return certificateTime + "/" + keyTime + "/" + Files.size(certificate) + "/" + Files.size(key);
  }

  private X509KeyManager load() throws IOException, GeneralSecurityException {
    return TlsMaterial.keyManager(
        Files.readString(certificate), Files.readString(key), certificate.getParent().toString());
  }

  /** The key manager for the files as they are now. */
  X509KeyManager current() {
    try {
      String version = version();
      if (!Objects.equals(version, loadedVersion)) {
        synchronized (this) {
          if (!Objects.equals(version, loadedVersion)) {
            current = load();
            loadedVersion = version;
            LOG.info("webhook certificate reloaded from {}", certificate.getParent());
          }
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      LOG.warn("webhook certificate not reloaded, keeping the previous one: {}", e.toString());
    }
    return current;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return current().chooseServerAlias(keyType, issuers, null);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return current().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return current.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return current.getPrivateKey(alias);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current.getServerAliases(keyType, issuers);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
