package org.ipam.controller;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The webhook server's certificate and key: read from {@code tls.crt} and {@code tls.key} (PEM, as
 * cert-manager and {@code kubectl create secret tls} write them: PKCS#1, PKCS#8 or SEC1 keys) and
 * read again when they change, or made up for local mode, self-signed for 127.0.0.1 and localhost.
 *
 * @param caBundle the PEM the apiserver must trust (the certificate itself when self-signed)
 */
record TlsMaterial(SSLContext context, String caBundle) {
  static final String CERT_FILE = "tls.crt";
  static final String KEY_FILE = "tls.key";

  /** A certificate and its key, as PEM text. */
  record Pem(String certificate, String key) {}

  static boolean presentIn(Path directory) {
    return Files.isReadable(directory.resolve(CERT_FILE))
        && Files.isReadable(directory.resolve(KEY_FILE));
  }

  /**
   * Serves the files' current certificate: a Secret volume is updated in place when cert-manager
   * renews the certificate, and a server that kept the first one would present an expired
   * certificate, refusing every write its webhooks guard.
   */
  static TlsMaterial fromDirectory(Path directory) throws IOException, GeneralSecurityException {
    ReloadingKeyManager keys = new ReloadingKeyManager(directory);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {keys}, null, null);
    return new TlsMaterial(context, null);
  }

  static TlsMaterial selfSigned()
      throws GeneralSecurityException, IOException, OperatorCreationException {
    Pem pem = selfSignedPem();
    X509KeyManager keys = keyManager(pem.certificate(), pem.key(), "self-signed");
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {keys}, null, null);
    return new TlsMaterial(context, pem.certificate());
  }

  /** A new RSA key and a certificate for 127.0.0.1 and localhost, signed by itself. */
  static Pem selfSignedPem()
      throws GeneralSecurityException, IOException, OperatorCreationException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=ipam-controller local webhook");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(System.nanoTime()).abs(),
            Date.from(now.minus(Duration.ofMinutes(5))),
            Date.from(now.plus(Duration.ofDays(365))),
            name,
            pair.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(
                  GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
              new GeneralName(GeneralName.dNSName, "localhost")
            }));
    X509Certificate certificate =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    return new Pem(pem(certificate), pem(pair.getPrivate()));
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  /** A key manager for one certificate chain and key given as PEM; {@code source} names them. */
  static X509KeyManager keyManager(String certificatePem, String keyPem, String source)
      throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(certificatePem))) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          chain.add(certificates.getCertificate(holder));
        }
      }
    }
    if (chain.isEmpty()) {
      throw new IOException(source + ": no PEM certificate in " + CERT_FILE);
    }
    PrivateKey key;
    try (Reader reader = new StringReader(keyPem);
        PEMParser parser = new PEMParser(reader)) {
      Object item = parser.readObject();
      JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
      if (item instanceof PEMKeyPair pair) {
        key = keys.getKeyPair(pair).getPrivate();
      } else if (item instanceof PrivateKeyInfo info) {
        key = keys.getPrivateKey(info);
      } else {
        throw new IOException(
            source + ": no PEM private key (PKCS#1, PKCS#8 or SEC1) in " + KEY_FILE);
      }
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = new char[0];
    store.setKeyEntry("webhook", key, password, chain.toArray(new Certificate[0]));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return (X509KeyManager) factory.getKeyManagers()[0];
  }
}
