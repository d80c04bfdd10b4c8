package org.ipam.core.testing;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes every Awaitility wait of the test suites treat an exception in its condition as "not yet":
 * an object whose status the controller has not written yet reads as a null status, and a busy API
 * server answers with a timeout, and neither is a failure while time remains. Awaitility's own
 * default fails the wait at the first such exception, which made tests fail only when the machine
 * was busy (a pool status read a moment before its first write). A wait that runs out reports the
 * last exception as its cause. Registered for every module that uses ipam-core's test jar through
 * JUnit's extension autodetection (junit-platform.properties, META-INF/services).
 */
public final class PatientAwaits implements BeforeAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.ignoreExceptionsByDefault();
  }
}
