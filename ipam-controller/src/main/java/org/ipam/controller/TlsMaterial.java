package org.ipam.controller;

import java.io.IOException;
import java.io.Reader;
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
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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
 * cert-manager and {@code kubectl create secret tls} write them: PKCS#1, PKCS#8 or SEC1 keys), or
 * made up for local mode, self-signed for 127.0.0.1 and localhost.
 *
 * @param caBundle the PEM the apiserver must trust (the certificate itself when self-signed)
 */
record TlsMaterial(SSLContext context, String caBundle) {
  static final String CERT_FILE = "tls.crt";
  static final String KEY_FILE = "tls.key";

  static boolean presentIn(Path directory) {
    return Files.isReadable(directory.resolve(CERT_FILE))
        && Files.isReadable(directory.resolve(KEY_FILE));
  }

  static TlsMaterial fromDirectory(Path directory) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
    try (Reader reader = Files.newBufferedReader(directory.resolve(CERT_FILE));
        PEMParser parser = new PEMParser(reader)) {
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof X509CertificateHolder holder) {
          chain.add(certificates.getCertificate(holder));
        }
      }
    }
    if (chain.isEmpty()) {
      throw new IOException(directory.resolve(CERT_FILE) + " holds no PEM certificate");
    }
    PrivateKey key;
    try (Reader reader = Files.newBufferedReader(directory.resolve(KEY_FILE));
        PEMParser parser = new PEMParser(reader)) {
      Object item = parser.readObject();
      JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
      if (item instanceof PEMKeyPair pair) {
        key = keys.getKeyPair(pair).getPrivate();
      } else if (item instanceof PrivateKeyInfo info) {
        key = keys.getPrivateKey(info);
      } else {
        throw new IOException(
            directory.resolve(KEY_FILE) + " holds no PEM private key (PKCS#1, PKCS#8 or SEC1)");
      }
    }
    return new TlsMaterial(context(key, chain), null);
  }

  static TlsMaterial selfSigned()
      throws GeneralSecurityException, IOException, OperatorCreationException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    X500Name name = new X500Name("CN=ipam-controller local webhook");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
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
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(certificate);
    }
    return new TlsMaterial(context(pair.getPrivate(), List.of(certificate)), pem.toString());
  }

  private static SSLContext context(PrivateKey key, List<X509Certificate> chain)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = new char[0];
    store.setKeyEntry("webhook", key, password, chain.toArray(new Certificate[0]));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
