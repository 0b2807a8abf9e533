package io.kubelvs.agent.ipvs;

import static io.kubelvs.agent.ipvs.IpvsFixtures.fwmark;
import static io.kubelvs.agent.ipvs.IpvsFixtures.ip;
import static io.kubelvs.agent.ipvs.IpvsFixtures.tcp;
import static io.kubelvs.agent.ipvs.IpvsFixtures.udp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnedServicesStoreTest {
  static final Set<ServiceKey> EVERY_KIND =
      Set.of(
          tcp("198.18.0.50", 80),
          udp("198.18.0.53", 53),
          new ServiceKey.Address(IpvsProtocol.SCTP, ip("198.18.0.54"), 3868),
          tcp("2001:db8::50", 443),
          fwmark(AddressFamily.INET, 7),
          fwmark(AddressFamily.INET6, 4294967295L));

  @TempDir Path dir;

  @Test
  void roundTripsEveryKindOfKey() {
    OwnedServicesStore store = OwnedServicesStore.file(dir.resolve("ipvs-owned"));

    store.save(EVERY_KIND);

    assertThat(OwnedServicesStore.file(dir.resolve("ipvs-owned")).load()).isEqualTo(EVERY_KIND);
  }

  @Test
  void writesOneSortedKeyPerLineInPlainText() throws IOException {
    Path file = dir.resolve("ipvs-owned");

    OwnedServicesStore.file(file)
        .save(Set.of(fwmark(AddressFamily.INET, 7), tcp("198.18.0.50", 80)));

    assertThat(Files.readAllLines(file))
        .filteredOn(line -> !line.startsWith("#"))
        .containsExactly("fwmark inet 7", "tcp 198.18.0.50 80");
  }

  @Test
  void aMissingFileIsAnEmptySet() {
    assertThat(OwnedServicesStore.file(dir.resolve("never-written")).load()).isEmpty();
  }

  @Test
  void blankLinesAndCommentsAreSkipped() throws IOException {
    Path file = dir.resolve("ipvs-owned");
    Files.writeString(file, "# owned\n\n  tcp 198.18.0.50 80  \n");

    assertThat(OwnedServicesStore.file(file).load()).containsExactly(tcp("198.18.0.50", 80));
  }

  @Test
  void aCorruptLineIsAnErrorNamingFileAndLine() throws IOException {
    Path file = dir.resolve("ipvs-owned");
    Files.writeString(file, "tcp 198.18.0.50 80\ntcp 198.18.0.999 80\n");

    assertThatThrownBy(() -> OwnedServicesStore.file(file).load())
        .isInstanceOf(OwnedServicesStoreException.class)
        .hasMessageStartingWith(file + ":2: \"tcp 198.18.0.999 80\" is not an IPVS service key")
        .hasMessageContaining("IPv4 octet 999 is outside 0-255");
  }

  @Test
  void hostNamesAreCorruptNotLookedUp() throws IOException {
    Path file = dir.resolve("ipvs-owned");
    Files.writeString(file, "tcp localhost 80\n");

    assertThatThrownBy(() -> OwnedServicesStore.file(file).load())
        .hasMessageContaining(":1: \"tcp localhost 80\"")
        .hasMessageContaining("\"localhost\" is not an IP address literal");
  }

  @Test
  void saveReplacesTheFileAtomicallyByRename() throws IOException {
    Path file = dir.resolve("ipvs-owned");
    OwnedServicesStore store = OwnedServicesStore.file(file);
    store.save(Set.of(tcp("198.18.0.50", 80)));
    Object inodeBefore = Files.getAttribute(file, "unix:ino");

    try (FileChannel reader = FileChannel.open(file)) {
      store.save(Set.of(tcp("198.18.0.51", 80), tcp("198.18.0.52", 80)));

      // A reader of the old file still sees it whole: the new content went to a new inode.
      assertThat(contentOf(reader)).contains("tcp 198.18.0.50 80").doesNotContain("198.18.0.51");
    }
    assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(inodeBefore);
    assertThat(store.load())
        .containsExactlyInAnyOrder(tcp("198.18.0.51", 80), tcp("198.18.0.52", 80));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void saveCreatesTheDirectory() {
    Path file = dir.resolve("var/lib/kubelvs/ipvs-owned");

    OwnedServicesStore.file(file).save(Set.of(tcp("198.18.0.50", 80)));

    assertThat(OwnedServicesStore.file(file).load()).containsExactly(tcp("198.18.0.50", 80));
  }

  @Test
  void inMemoryStoreRoundTrips() {
    OwnedServicesStore store = OwnedServicesStore.inMemory();
    assertThat(store.load()).isEmpty();

    store.save(EVERY_KIND);

    assertThat(store.load()).isEqualTo(EVERY_KIND);
  }

  @Test
  void textFormRoundTripsEveryKindOfKey() {
    assertThat(EVERY_KIND)
        .allSatisfy(
            key -> assertThat(ServiceKeyText.parse(ServiceKeyText.format(key))).isEqualTo(key));
  }

  private static String contentOf(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
    channel.read(buffer, 0);
    return new String(buffer.array(), StandardCharsets.UTF_8);
  }
}
