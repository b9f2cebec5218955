package dev.reconcile.providers.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reconcile.resource.ResourceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates in the forms openssl and certbot write, and the file the tool installs. */
class PemTest {
  @TempDir
  Path dir;

  private String openssl(String... args) throws Exception {
    var argv = new java.util.ArrayList<>(java.util.List.of("openssl"));
    argv.addAll(java.util.List.of(args));
    var process = new ProcessBuilder(argv)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    var out = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(out).isZero();
    return out;
  }

  private void selfSigned(String keyArgs, String name) throws Exception {
    openssl(("req -x509 " + keyArgs + " -nodes -keyout " + name + ".key -out " + name
            + ".pem -days 2 -subj /CN=a.test " + "-addext subjectAltName=DNS:a.test,DNS:*.b.test")
        .split(" "));
  }

  @Test
  void keys_inEveryCommonForm_areRead_andMatchTheirCertificate() throws Exception {
    selfSigned("-newkey rsa:2048", "rsa");
    selfSigned("-newkey ec -pkeyopt ec_paramgen_curve:prime256v1", "ec");
    openssl("pkey", "-in", "rsa.key", "-traditional", "-out", "rsa1.key");
    openssl("ec", "-in", "ec.key", "-out", "sec1.key");
    var rsa = Pem.certificates(Files.readString(dir.resolve("rsa.pem"))).getFirst();
    var ec = Pem.certificates(Files.readString(dir.resolve("ec.pem"))).getFirst();

    for (var key : java.util.List.of("rsa.key", "rsa1.key")) {
      assertThat(
              Pem.matches(Pem.privateKey(Files.readString(dir.resolve(key))), rsa.getPublicKey()))
          .as(key)
          .isTrue();
      assertThat(Pem.matches(Pem.privateKey(Files.readString(dir.resolve(key))), ec.getPublicKey()))
          .as(key)
          .isFalse();
    }
    for (var key : java.util.List.of("ec.key", "sec1.key")) {
      assertThat(Pem.matches(Pem.privateKey(Files.readString(dir.resolve(key))), ec.getPublicKey()))
          .as(key)
          .isTrue();
    }
    assertThat(Pem.dnsNames(ec)).containsExactly("a.test", "*.b.test");
    assertThat(Pem.covers("*.b.test", "x.b.test")).isTrue();
    assertThat(Pem.covers("*.b.test", "y.x.b.test")).isFalse();
  }

  @Test
  void anEncryptedKey_isRefused_sayingWhy() throws Exception {
    selfSigned("-newkey ec -pkeyopt ec_paramgen_curve:prime256v1", "ec");
    openssl("pkey", "-in", "ec.key", "-aes256", "-passout", "pass:secret", "-out", "locked.key");

    assertThatThrownBy(() -> Pem.privateKey(Files.readString(dir.resolve("locked.key"))))
        .hasMessageContaining("encrypted with a passphrase");
    assertThatThrownBy(() -> Pem.privateKey("not a key")).hasMessageContaining("no private key");
  }

  @Test
  void theInstalledFile_isReadBack_withoutItsKey() throws Exception {
    selfSigned("-newkey ec -pkeyopt ec_paramgen_curve:prime256v1", "ec");
    var chain = Pem.certificates(Files.readString(dir.resolve("ec.pem")));
    var key = Pem.privateKey(Files.readString(dir.resolve("ec.key")));
    var id = ResourceId.certificate("shop", "production");
    var now = Instant.parse("2026-12-01T00:00:00Z");

    var hash = "a".repeat(64);
    var text = CertificateFile.render(id, hash, key, chain);
    var read = CertificateFile.read("/x.pem", text, now).orElseThrow();

    assertThat(read.id()).isEqualTo(id);
    assertThat(read.specHash()).isEqualTo(hash);
    assertThat(read.domains()).containsExactly("a.test", "*.b.test");
    assertThat(read.fingerprint()).isEqualTo(Pem.sha256(chain.getFirst()));
    assertThat(read.toString()).doesNotContain("PRIVATE");
    // What nginx will read: OpenSSL itself must load the key and find it the certificate's.
    Files.writeString(dir.resolve("installed.pem"), text);
    openssl("pkey", "-in", "installed.pem", "-noout");
    assertThat(openssl("x509", "-in", "installed.pem", "-noout", "-pubkey"))
        .isEqualTo(openssl("pkey", "-in", "installed.pem", "-pubout"));
    assertThat(CertificateFile.read("/x.pem", text.substring(0, text.length() / 2), now))
        .isEmpty();
    assertThat(
            CertificateFile.read("/x.pem", "# reconcile {\"resource\":\"site:a/b\"}\n" + text, now))
        .isEmpty();
    assertThat(CertificateFile.read("/x.pem", "no header", now)).isEmpty();
  }

  @Test
  void challengeAnswers_areBase64urlOnly() {
    assertThat(dev.reconcile.providers.nginx.ChallengesAccess.render(
            Map.of("tok-en_1", "tok-en_1.thumb")))
        .contains(
            "location = /.well-known/acme-challenge/tok-en_1 {", "return 200 \"tok-en_1.thumb\";");
    assertThatThrownBy(
            () -> dev.reconcile.providers.nginx.ChallengesAccess.render(Map.of("a\"; }", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
