package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MasterAddress.Kind;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MasterAddressTest {
  private static final String FORMS = "master must be 'local', host:port[,host:port...],"
      + " http(s)://host:port or zk://host:port[,host:port]/path but was ";

  private static MasterAddress http(String... uris) {
    return new MasterAddress(Kind.HTTP, java.util.Arrays.stream(uris).map(URI::create).toList(),
        Optional.empty(), Optional.empty());
  }

  private static MasterAddress zk(String connect, String path) {
    return new MasterAddress(Kind.ZOOKEEPER, List.of(), Optional.of(connect), Optional.of(path));
  }

  @Test
  void localIsTheEmbeddedCluster() {
    assertThat(MasterAddress.parse("local"))
        .isEqualTo(new MasterAddress(Kind.LOCAL, List.of(), Optional.empty(), Optional.empty()));
  }

  @Test
  void localIsCaseSensitiveSoLocalWithCapitalIsAHostName() {
    assertThat(MasterAddress.parse("Local")).isEqualTo(http("http://Local:5050"));
  }

  @Test
  void hostAndPortBecomesAnHttpUri() {
    assertThat(MasterAddress.parse("master1:5051")).isEqualTo(http("http://master1:5051"));
  }

  @Test
  void plainHostGetsMesosDefaultPort5050() {
    assertThat(MasterAddress.parse("master1")).isEqualTo(http("http://master1:5050"));
  }

  @Test
  void ipv4AddressAndPortBecomesAnHttpUri() {
    assertThat(MasterAddress.parse("10.0.0.7:5050")).isEqualTo(http("http://10.0.0.7:5050"));
  }

  @Test
  void listOfHostsKeepsItsOrderAndFillsMissingPorts() {
    assertThat(MasterAddress.parse("m1:5050,m2,m3:6060"))
        .isEqualTo(http("http://m1:5050", "http://m2:5050", "http://m3:6060"));
  }

  @Test
  void bracketedIpv6LiteralWithPort() {
    MasterAddress address = MasterAddress.parse("[::1]:5050");
    assertThat(address).isEqualTo(http("http://[::1]:5050"));
    assertThat(address.masters().get(0).getHost()).isEqualTo("[::1]");
    assertThat(address.masters().get(0).getPort()).isEqualTo(5050);
  }

  @Test
  void bracketedIpv6LiteralWithoutPortGetsTheDefault() {
    assertThat(MasterAddress.parse("[2001:db8::5]")).isEqualTo(http("http://[2001:db8::5]:5050"));
  }

  @Test
  void httpUrlIsKeptAsTheBaseUri() {
    assertThat(MasterAddress.parse("http://master1:5050")).isEqualTo(http("http://master1:5050"));
  }

  @Test
  void httpsUrlWithTrailingSlashLosesTheSlash() {
    assertThat(MasterAddress.parse("https://master1:5050/"))
        .isEqualTo(http("https://master1:5050"));
  }

  @Test
  void urlWithoutPortUsesTheSchemesPort() {
    MasterAddress address = MasterAddress.parse("https://mesos.example.com");
    assertThat(address).isEqualTo(http("https://mesos.example.com"));
    assertThat(address.masters().get(0).getPort()).isEqualTo(-1);
  }

  @Test
  void listOfUrlsMayMixSchemesIpv6AndPlainHosts() {
    assertThat(MasterAddress.parse("http://m1:5050/,https://[::1]:5443,m3"))
        .isEqualTo(http("http://m1:5050", "https://[::1]:5443", "http://m3:5050"));
  }

  @Test
  void zooKeeperAddressSplitsConnectStringAndPath() {
    assertThat(MasterAddress.parse("zk://zk1:2181,zk2:2182/mesos"))
        .isEqualTo(zk("zk1:2181,zk2:2182", "/mesos"));
  }

  @Test
  void zooKeeperAddressKeepsANestedPath() {
    assertThat(MasterAddress.parse("zk://10.0.0.1:2181/prod/mesos"))
        .isEqualTo(zk("10.0.0.1:2181", "/prod/mesos"));
  }

  @Test
  void zooKeeperHostWithoutPortGetsZooKeeperDefault2181() {
    assertThat(MasterAddress.parse("zk://zk1,[::1]:2182,[::2]/mesos"))
        .isEqualTo(zk("zk1:2181,[::1]:2182,[::2]:2181", "/mesos"));
  }

  @Test
  void mastersListIsCopiedAndUnmodifiable() {
    List<URI> masters = new java.util.ArrayList<>(List.of(URI.create("http://a:1")));
    MasterAddress address =
        new MasterAddress(Kind.HTTP, masters, Optional.empty(), Optional.empty());
    masters.clear();
    assertThat(address.masters()).containsExactly(URI.create("http://a:1"));
    assertThatThrownBy(() -> address.masters().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      foo:bar:baz         | FORMS'foo:bar:baz'
      ""                  | FORMS''
      " local"            | FORMS' local'
      m1 m2               | FORMS'm1 m2'
      ::1                 | FORMS'::1'
      mesos://m1:5050     | FORMS'mesos://m1:5050'
      m1:5050,ftp://m2    | FORMS'm1:5050,ftp://m2'
      [::1]x              | FORMS'[::1]x'
      http//127.0.0.1:5050 | master entry 'http//127.0.0.1:5050' is neither host:port nor http(s)://host:port; did you mean 'http://127.0.0.1:5050'?
      https:/m1:5050      | master entry 'https:/m1:5050' is neither host:port nor http(s)://host:port; did you mean 'https://m1:5050'?
      m1:5050,m2/api      | master entry 'm2/api' is neither host:port nor http(s)://host:port
      u@m1:5050           | master entry 'u@m1:5050' is neither host:port nor http(s)://host:port
      h:70000             | port must be 1-65535 but was 70000 in 'h:70000'
      h:0                 | port must be 1-65535 but was 0 in 'h:0'
      h:99999999999       | port must be 1-65535 but was 99999999999 in 'h:99999999999'
      h:abc               | port must be a number 1-65535 but was 'abc' in 'h:abc'
      h:                  | port must be a number 1-65535 but was '' in 'h:'
      h:-1                | port must be a number 1-65535 but was '-1' in 'h:-1'
      m1:5050,m2:70000    | port must be 1-65535 but was 70000 in 'm2:70000'
      http://h:70000      | port must be 1-65535 but was 70000 in 'h:70000'
      [::1]:70000         | port must be 1-65535 but was 70000 in '[::1]:70000'
      :5050               | host must not be empty in ':5050'
      m1,,m2              | master has an empty entry in 'm1,,m2'
      m1,                 | master has an empty entry in 'm1,'
      bad_host:5050       | host must be a hostname or an IP address but was 'bad_host' in 'bad_host:5050'
      [::1                | IPv6 address must be closed with ']' but was '[::1'
      []:5050             | host must be a hostname or an IP address but was '[]' in '[]:5050'
      [zz]:5050           | host must be a hostname or an IP address but was '[zz]' in '[zz]:5050'
      [1:zz]:5050         | host must be a hostname or an IP address but was '[1:zz]' in '[1:zz]:5050'
      http://             | master URL must be http://host:port with nothing after it but an optional '/' but was 'http://'
      http://h:5050/api   | master URL must be http://host:port with nothing after it but an optional '/' but was 'http://h:5050/api'
      https://h:5050?x=1  | master URL must be https://host:port with nothing after it but an optional '/' but was 'https://h:5050?x=1'
      http://u@h:5050     | master URL must be http://host:port with nothing after it but an optional '/' but was 'http://u@h:5050'
      http://h:5050//     | master URL must be http://host:port with nothing after it but an optional '/' but was 'http://h:5050//'
      zk://h:2181         | zk:// address needs a path such as /mesos but was 'zk://h:2181'
      zk://h:2181/        | zk:// address needs a path such as /mesos but was 'zk://h:2181/'
      zk://               | zk:// address needs a path such as /mesos but was 'zk://'
      zk:///mesos         | zk:// address needs at least one host:port before the path but was 'zk:///mesos'
      zk://h:2181/mesos/  | zk:// path must be a ZooKeeper path such as /mesos (no empty, '.' or '..' segments, no trailing '/', no spaces) but was '/mesos/' in 'zk://h:2181/mesos/'
      zk://h:2181//mesos  | zk:// path must be a ZooKeeper path such as /mesos (no empty, '.' or '..' segments, no trailing '/', no spaces) but was '//mesos' in 'zk://h:2181//mesos'
      zk://h:2181/a/../b  | zk:// path must be a ZooKeeper path such as /mesos (no empty, '.' or '..' segments, no trailing '/', no spaces) but was '/a/../b' in 'zk://h:2181/a/../b'
      zk://h:2181/a/.     | zk:// path must be a ZooKeeper path such as /mesos (no empty, '.' or '..' segments, no trailing '/', no spaces) but was '/a/.' in 'zk://h:2181/a/.'
      zk://h:2181/me sos  | zk:// path must be a ZooKeeper path such as /mesos (no empty, '.' or '..' segments, no trailing '/', no spaces) but was '/me sos' in 'zk://h:2181/me sos'
      zk://h:99999/mesos  | port must be 1-65535 but was 99999 in 'h:99999'
      zk://h:x/mesos      | port must be a number 1-65535 but was 'x' in 'h:x'
      zk://a:1,,b:2/mesos | zk:// address has an empty host in 'zk://a:1,,b:2/mesos'
      zk://a:b:c/mesos    | FORMS'zk://a:b:c/mesos'
      zk://bad_h:1/mesos  | host must be a hostname or an IP address but was 'bad_h' in 'bad_h:1'
      zk://u:secret@h:2181/mesos | zk:// credentials (user:password@) are not supported; remove them from the master
      """)
  void rejectsBadInputWithAMessageNamingValueAndRule(String text, String message) {
    String expected = message.startsWith("FORMS") ? FORMS + message.substring(5) : message;
    assertThatThrownBy(() -> MasterAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
  }

  @Test
  void credentialsInAZooKeeperAddressAreNotEchoed() {
    assertThatThrownBy(() -> MasterAddress.parse("zk://jo:s3cret@h:2181/mesos"))
        .isInstanceOf(IllegalArgumentException.class)
        .message().doesNotContain("s3cret");
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> MasterAddress.parse(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("master must not be null");
  }
}
