package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.http.HttpSchedulerBackend;
import dev.mesoskit.core.jni.NativeSchedulerBackend;
import dev.mesoskit.core.spi.SchedulerBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendsTest {
  @Test
  void theHttpDriverIsTheDefault() {
    try (SchedulerBackend b = Backends.fromArgs("--images", "dir", "--master=127.0.0.1:5050")) {
      assertThat(b).isInstanceOf(HttpSchedulerBackend.class);
      assertThat(b.toString()).isEqualTo("HttpSchedulerBackend[masters [http://127.0.0.1:5050]]");
    }
  }

  @Test
  void theNativeDriverIsChosenWithDriverNative() {
    try (SchedulerBackend b = Backends.fromArgs("--master", "10.0.0.5:5050", "--driver=native")) {
      assertThat(b).isInstanceOf(NativeSchedulerBackend.class);
    }
  }

  @Test
  void localNeedsSdkLocalOnTheClassPathAndSaysSo() {
    assertThatThrownBy(() -> Backends.fromArgs("--master=local"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--master=local needs the embedded cluster of sdk-local"
            + " (dev.mesoskit:sdk-local) on the class path; add it, or give --master=host:port,"
            + " --master=http(s)://host:port or --master=zk://host:port/path");
    assertThatThrownBy(() -> Backends.fromArgs())
        .as("local is the default master")
        .hasMessageStartingWith("--master=local needs the embedded cluster");
    assertThatThrownBy(() -> Backends.fromArgs("--driver=native"))
        .hasMessage("--driver=native cannot reach --master=local: the embedded cluster speaks"
            + " the v1 HTTP API only; use --driver=http");
  }

  @Test
  void anUnknownDriverIsNamed() {
    assertThatThrownBy(() -> Backends.fromArgs("--master=h:5050", "--driver=grpc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--driver must be 'http' or 'native' but was 'grpc'");
  }

  @Test
  void anOptionWithoutItsValueIsNamed() {
    assertThatThrownBy(() -> Backends.fromArgs("--master"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--master needs a value");
  }

  @Test
  void aSecretFileWithoutAPrincipalIsRefused(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("s"), "x");
    assertThatThrownBy(() -> Backends.fromArgs("--master=h:5050", "--secret-file=" + secret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--secret-file needs --principal");
  }

  @Test
  void aPrincipalReadsItsSecretFromTheFile(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("s"), "pw\n");
    try (SchedulerBackend b = Backends.fromArgs("--master=h:5050", "--principal=p",
        "--secret-file", secret.toString())) {
      assertThat(b).isInstanceOf(HttpSchedulerBackend.class);
    }
    assertThatThrownBy(() -> Backends.fromArgs("--master=h:5050", "--principal=p",
        "--secret-file=" + dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("secret file cannot be read: " + dir.resolve("missing"));
  }
}
