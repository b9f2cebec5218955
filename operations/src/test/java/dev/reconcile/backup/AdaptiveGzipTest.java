package dev.reconcile.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Compresses what shrinks, stores what does not, and is plain gzip either way. */
class AdaptiveGzipTest {
  private static byte[] random(int size, long seed) {
    var bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] text(int size) {
    var line = "2026-12-03T20:41:07Z GET /api/orders?page=3 200 1234 \"Mozilla/5.0\"\n"
        .getBytes(StandardCharsets.UTF_8);
    var bytes = new byte[size];
    for (var i = 0; i < size; i++) {
      bytes[i] = line[i % line.length];
    }
    return bytes;
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @Test
  void randomChunksAreStored_textChunksDeflated_andTheWholeReadsBackAsGzip() throws IOException {
    var input = new ByteArrayOutputStream();
    input.writeBytes(random(3 * AdaptiveGzip.CHUNK, 1));
    input.writeBytes(text(2 * AdaptiveGzip.CHUNK));
    input.writeBytes(random(AdaptiveGzip.CHUNK / 2 + 17, 2)); // a short last chunk
    var data = input.toByteArray();
    var out = new ByteArrayOutputStream();
    AdaptiveGzip gzip;
    try (var g = new AdaptiveGzip(out)) {
      gzip = g;
      // In odd pieces, as a stream hands them over.
      for (var off = 0; off < data.length; ) {
        var n = Math.min(data.length - off, 7_919 + off % 65_536);
        g.write(data, off, n);
        off += n;
      }
    }

    assertThat(gzip.stored()).isEqualTo(3L * AdaptiveGzip.CHUNK + AdaptiveGzip.CHUNK / 2 + 17);
    assertThat(gzip.deflated()).isEqualTo(2L * AdaptiveGzip.CHUNK);
    assertThat(gunzip(out.toByteArray())).isEqualTo(data);
    // Stored costs a few bytes per block; the text shrinks to almost nothing.
    assertThat(out.size()).isBetween((int) gzip.stored(), (int) gzip.stored() + 64 * 1024);
  }

  @Test
  void emptyAndSingleByteInputs_roundTrip() throws IOException {
    for (var data : new byte[][] {new byte[0], new byte[] {42}}) {
      var out = new ByteArrayOutputStream();
      try (var g = new AdaptiveGzip(out)) {
        for (var b : data) {
          g.write(b);
        }
      }
      assertThat(gunzip(out.toByteArray())).isEqualTo(data);
    }
  }
}
