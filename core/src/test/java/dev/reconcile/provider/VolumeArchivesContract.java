package dev.reconcile.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.model.HostSpec;
import dev.reconcile.resource.ResourceId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VolumeArchives} promises, whoever wrote it: a volume exported, staged into
 * another and swapped in leaves exactly the first one's files there; a staged archive that is cut
 * off fails and leaves the volume as it was. The backup and the restore of data rest on these.
 * An interface, so a provider's test class with a base of its own can take it on; {@code
 * reconcile-core}'s test jar ships it (docs/plugins.md).
 */
public interface VolumeArchivesContract {
  /** The capability under test. */
  VolumeArchives archives();

  HostSpec archiveHost();

  /** An image on the host for the helper containers. */
  String helperImage();

  String archiveOwner();

  /** A volume of the test's own holding files (in a folder too), one of them {@code small}. */
  ResourceId volumeWithFiles() throws Exception;

  /** A volume of the test's own, made by the tool (owned), with no files. */
  ResourceId emptyVolume() throws Exception;

  private byte[] exported(ResourceId volume) throws Exception {
    var out = new ByteArrayOutputStream();
    archives().export(archiveHost(), volume, helperImage(), out);
    return out.toByteArray();
  }

  @Test
  default void exported_stagedIntoAnother_andSwappedIn_leavesExactlyTheSameFiles()
      throws Exception {
    var from = volumeWithFiles();
    var into = emptyVolume();
    var tar = exported(from);
    var files = files(tar);
    assertThat(files).as("the export's files").isNotEmpty().containsKey("small");

    var staged = archives()
        .stage(
            archiveHost(),
            into,
            helperImage(),
            new ByteArrayInputStream(tar),
            Duration.ofSeconds(60));
    assertThat(staged).isEqualTo(files.size());
    assertThat(archives().staged(archiveHost(), into)).isTrue();
    assertThat(files(exported(into))).as("the volume before the swap").isEmpty();

    archives().swapIn(archiveHost(), into, helperImage(), archiveOwner());

    assertThat(files(exported(into))).isEqualTo(files);
    assertThat(archives().staged(archiveHost(), into))
        .as("kept until discarded")
        .isTrue();
    archives().discardStaged(archiveHost(), into);
    assertThat(archives().staged(archiveHost(), into)).isFalse();
    archives().discardStaged(archiveHost(), into); // none left: nothing to do
  }

  @Test
  default void aStagedArchiveCutOff_fails_andTheVolumeIsAsItWas() throws Exception {
    var tar = exported(volumeWithFiles());
    var into = emptyVolume();
    var half = Arrays.copyOf(tar, Math.max(512, tar.length / 2));
    InputStream cut = new InputStream() {
      private final InputStream start = new ByteArrayInputStream(half);

      @Override
      public int read() throws IOException {
        var b = start.read();
        if (b < 0) {
          throw new IOException("the link was cut");
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        var n = start.read(b, off, len);
        if (n < 0) {
          throw new IOException("the link was cut");
        }
        return n;
      }
    };

    assertThatThrownBy(
            () -> archives().stage(archiveHost(), into, helperImage(), cut, Duration.ofSeconds(60)))
        .isInstanceOf(ProviderException.class);
    assertThat(files(exported(into))).as("the volume after a failed stage").isEmpty();
  }

  /**
   * The regular files of a tar made by {@link VolumeArchives#export}, by their path below its
   * top folder, with their contents (read by hand: ustar headers of 512 bytes).
   */
  static Map<String, String> files(byte[] tar) {
    var out = new TreeMap<String, String>();
    int at = 0;
    while (at + 512 <= tar.length) {
      var header = Arrays.copyOfRange(tar, at, at + 512);
      if (header[0] == 0) {
        break;
      }
      var name = field(header, 0, 100);
      var prefix = field(header, 345, 155);
      var size = Long.parseLong(
          field(header, 124, 12).strip().isEmpty()
              ? "0"
              : field(header, 124, 12).strip(),
          8);
      var type = header[156];
      var body = at + 512;
      if (type == '0' || type == 0) {
        var path = prefix.isEmpty() ? name : prefix + "/" + name;
        out.put(
            path.substring(path.indexOf('/') + 1),
            new String(tar, body, (int) size, StandardCharsets.ISO_8859_1));
      }
      at = body + (int) ((size + 511) / 512 * 512);
    }
    return out;
  }

  private static String field(byte[] header, int from, int length) {
    int end = from;
    while (end < from + length && header[end] != 0) {
      end++;
    }
    return new String(header, from, end - from, StandardCharsets.ISO_8859_1);
  }
}
