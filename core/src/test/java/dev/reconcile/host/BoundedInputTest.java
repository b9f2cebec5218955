package dev.reconcile.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class BoundedInputTest {
  private static InputStream endless() {
    return new InputStream() {
      @Override
      public int read() {
        return 'x';
      }
    };
  }

  @Test
  void anEndlessStream_endsAtTheLength_byBytesAndByBlocks() throws IOException {
    assertThat(new BoundedInput(endless(), 10_000).readAllBytes()).hasSize(10_000);

    var single = new BoundedInput(endless(), 3);
    assertThat(single.read()).isEqualTo('x');
    assertThat(single.read(new byte[8], 0, 8)).isEqualTo(2);
    assertThat(single.read()).isEqualTo(-1);
    assertThat(single.read(new byte[8], 0, 8)).isEqualTo(-1);
    assertThat(single.read(new byte[8], 0, 0)).isZero();
  }

  @Test
  void skipAndAvailable_countAgainstTheLength_andAShorterStreamEndsFirst() throws IOException {
    var in = new BoundedInput(new ByteArrayInputStream(new byte[100]), 40);
    assertThat(in.available()).isEqualTo(40);
    assertThat(in.skip(1_000)).isEqualTo(40);
    assertThat(in.available()).isZero();
    assertThat(in.read()).isEqualTo(-1);

    assertThat(new BoundedInput(new ByteArrayInputStream(new byte[5]), 40).readAllBytes())
        .hasSize(5);
    assertThat(new BoundedInput(new ByteArrayInputStream(new byte[5]), -1).readAllBytes())
        .isEmpty();
  }
}
