package dev.reconcile.providers.tls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A certificate file on a front door may be torn by a crash, edited, or replaced by anyone with
 * access: reading it back gives a certificate or nothing, never an exception. The seeds under
 * {@code CertificateFileFuzzTestInputs/} are replayed with the unit tests.
 */
class CertificateFileFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void read_anyText_givesACertificateOrNothing(byte[] bytes) {
    CertificateFile.read("/fuzz.pem", new String(bytes, StandardCharsets.UTF_8), Instant.EPOCH);
  }
}
