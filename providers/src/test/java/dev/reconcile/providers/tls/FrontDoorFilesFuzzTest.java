package dev.reconcile.providers.tls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reconcile.providers.nginx.SiteFile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The files on a front door may be torn by a crash, edited, or replaced by anyone with access:
 * reading a site file's header or a certificate back gives what it holds or nothing, never an
 * exception. One fuzz test for both (the first byte picks the reader), so every build fuzzes each
 * for real (-Dfuzz.duration, as in core); the seeds under {@code FrontDoorFilesFuzzTestInputs/}
 * (real files, each behind its byte) are replayed with the unit tests.
 */
class FrontDoorFilesFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void read_anyText_givesWhatItHoldsOrNothing(byte[] bytes) {
    if (bytes.length == 0) {
      return;
    }
    var text = new String(Arrays.copyOfRange(bytes, 1, bytes.length), StandardCharsets.UTF_8);
    if (bytes[0] % 2 == 0) {
      SiteFile.read("/fuzz.conf", text);
    } else {
      CertificateFile.read("/fuzz.pem", text, Instant.EPOCH);
    }
  }
}
