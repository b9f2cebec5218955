package dev.reconcile.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(20)
class ReadAheadTest {
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4095, 4096, 4097, 3 * 4096, 100_000})
  void read_givesTheSourcesBytes_inOrder_toTheEnd(int size) throws Exception {
    var bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    try (var ahead = new ReadAhead(new ByteArrayInputStream(bytes), 4096, 2)) {
      // Odd reads across chunk borders, then the rest.
      var first = ahead.readNBytes(Math.min(size, 7));
      var rest = ahead.readAllBytes();
      var all = new byte[first.length + rest.length];
      System.arraycopy(first, 0, all, 0, first.length);
      System.arraycopy(rest, 0, all, first.length, rest.length);
      assertThat(all).isEqualTo(bytes);
      assertThat(ahead.read()).isEqualTo(-1);
    }
  }

  @Test
  void aFaultOfTheSource_reachesTheReader_afterTheBytesBeforeIt() throws Exception {
    var source = new InputStream() {
      private int given;

      @Override
      public int read() throws IOException {
        if (given == 10_000) {
          throw new IOException("the disk said no");
        }
        given++;
        return 'x';
      }
    };
    try (var ahead = new ReadAhead(source, 4096, 2)) {
      assertThat(ahead.readNBytes(8192)).hasSize(8192);
      assertThatThrownBy(ahead::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessage("the disk said no");
    }
  }

  @Test
  void close_beforeTheEnd_stopsTheReadingThread_andTheSourceIsLeftAlone() throws Exception {
    var read = new AtomicLong();
    var endless = new InputStream() {
      @Override
      public int read() {
        read.incrementAndGet();
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        read.addAndGet(len);
        return len;
      }
    };
    var ahead = new ReadAhead(endless, 4096, 2);
    assertThat(ahead.readNBytes(100)).hasSize(100);

    // The reader waits on a full queue: close ends it all the same, and waits for it to end.
    ahead.close();

    assertThat(read.get())
        .as("read at most the queue, the chunk taken and one more")
        .isLessThanOrEqualTo(4 * 4096);
  }
}
