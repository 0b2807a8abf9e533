package io.kubelvs.agent.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A million random and mutated inputs (bit flips, truncations, extensions and field changes of the
 * golden adverts, with and without a repaired checksum) through both decode entries: nothing but a
 * {@link VrrpDecodeException} escapes, every input is counted once, as accepted or under its drop
 * reason, and every reason the decoder can give is seen. An accepted input re-encodes to itself.
 * Fixed seed: the same inputs every run.
 */
class VrrpPacketFuzzTest {
  private static final int INPUTS = 1_000_000;
  private static final long SEED = 0x6b7562656c7673L; // "kubelvs"

  /** A packet to mutate, with the addresses it travels between and its IPv4 datagram, if any. */
  private record Seed(
      int version, byte[] message, InetAddress source, InetAddress destination, byte[] datagram) {}

  /** One input: a VRRP message or, if {@code datagram}, a whole IPv4 datagram. */
  private record Input(
      String strategy,
      byte[] bytes,
      int length,
      boolean datagram,
      InetAddress source,
      InetAddress destination) {}

  private final List<Seed> seeds = seeds();
  private final SplittableRandom random = new SplittableRandom(SEED);

  @Test
  void nothingButADropEscapesAndEveryDropIsCountedByReason() {
    Map<DropReason, Integer> drops = new EnumMap<>(DropReason.class);
    int accepted = 0;
    long start = System.nanoTime();
    for (int i = 0; i < INPUTS; i++) {
      Input input = next();
      try {
        VrrpPacket packet = decode(input);
        accepted++;
        assertReencodesToItself(input, packet);
      } catch (VrrpDecodeException e) {
        drops.merge(e.reason(), 1, Integer::sum);
      } catch (RuntimeException | AssertionError e) {
        fail(
            String.format(
                "input %d (%s) %s escaped as %s", i, input.strategy(), describe(input), e),
            e);
      }
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "VRRP fuzz: %d inputs in %d ms (seed %#x): accepted=%d, dropped %s%n",
        INPUTS, millis, SEED, accepted, drops);

    assertThat(accepted + drops.values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(INPUTS);
    assertThat(drops.keySet())
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(DropReason.values())
                .filter(DropReason::detectedByDecoder)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(DropReason.class))));
    assertThat(accepted).isPositive();
  }

  private Input next() {
    Seed seed = seeds.get(random.nextInt(seeds.size()));
    boolean asDatagram = seed.datagram() != null && random.nextBoolean();
    byte[] original = asDatagram ? seed.datagram() : seed.message();
    return switch (random.nextInt(7)) {
      case 0 -> randomBytes(seed, asDatagram);
      case 1 -> bitFlips(seed, original, asDatagram);
      case 2 -> truncated(seed, original, asDatagram);
      case 3 -> extended(seed, original, asDatagram);
      case 4 -> fieldChanged(seed, asDatagram);
      case 5 -> countChanged(seed, asDatagram);
      default -> randomMessageBehindAValidHeader(seed, asDatagram);
    };
  }

  private Input randomBytes(Seed seed, boolean asDatagram) {
    byte[] bytes = new byte[random.nextInt(asDatagram ? 100 : 80)];
    random.nextBytes(bytes);
    return input("random", seed, bytes, asDatagram);
  }

  /** Random bytes of a random length as the VRRP message, in a datagram whose header is right. */
  private Input randomMessageBehindAValidHeader(Seed seed, boolean asDatagram) {
    byte[] message = new byte[random.nextInt(64)];
    random.nextBytes(message);
    return withMessage("random message", seed, message, asDatagram);
  }

  private Input bitFlips(Seed seed, byte[] original, boolean asDatagram) {
    byte[] bytes = original.clone();
    for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
      int bit = random.nextInt(bytes.length * 8);
      bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    }
    return input("bit flips", seed, bytes, asDatagram);
  }

  private Input truncated(Seed seed, byte[] original, boolean asDatagram) {
    byte[] bytes = Arrays.copyOf(original, random.nextInt(original.length));
    if (asDatagram
        && bytes.length >= VrrpDecodedDatagram.IPV4_MIN_HEADER_LENGTH
        && random.nextBoolean()) {
      VrrpPacketMutations.fixTotalLength(bytes, bytes.length); // so the VRRP part is judged
    }
    return input("truncated", seed, bytes, asDatagram);
  }

  private Input extended(Seed seed, byte[] original, boolean asDatagram) {
    byte[] bytes = Arrays.copyOf(original, original.length + 1 + random.nextInt(32));
    byte[] tail = new byte[bytes.length - original.length];
    random.nextBytes(tail);
    System.arraycopy(tail, 0, bytes, original.length, tail.length);
    if (asDatagram && random.nextBoolean()) {
      VrrpPacketMutations.fixTotalLength(bytes, bytes.length);
    }
    return input("extended", seed, bytes, asDatagram);
  }

  /** One byte of the VRRP message set, often to 0, 1, 2 or 255, and the checksum repaired. */
  private Input fieldChanged(Seed seed, boolean asDatagram) {
    byte[] message = seed.message().clone();
    int at =
        random.nextBoolean()
            ? random.nextInt(VrrpPacket.HEADER_LENGTH)
            : random.nextInt(message.length);
    int[] boundaries = {0, 1, 2, 0xff, random.nextInt(256)};
    message[at] = (byte) boundaries[random.nextInt(boundaries.length)];
    if (at != VrrpPacket.CHECKSUM_OFFSET && at != VrrpPacket.CHECKSUM_OFFSET + 1) {
      VrrpPacketMutations.fixChecksum(
          seed.version(), message, 0, message.length, seed.source(), seed.destination());
    }
    return withMessage("field changed", seed, message, asDatagram);
  }

  /** The count set (often small), the message resized to fit it (mostly), checksum repaired. */
  private Input countChanged(Seed seed, boolean asDatagram) {
    int count = random.nextInt(4) == 0 ? random.nextInt(256) : random.nextInt(5);
    boolean ipv6 = !(seed.source() instanceof Inet4Address);
    int length = VrrpPacket.expectedLength(seed.version(), count, ipv6);
    if (random.nextInt(5) == 0) {
      length = Math.max(VrrpPacket.HEADER_LENGTH, length + random.nextInt(9) - 4);
    }
    byte[] message = new byte[length];
    random.nextBytes(message);
    System.arraycopy(seed.message(), 0, message, 0, VrrpPacket.HEADER_LENGTH);
    message[VrrpPacket.COUNT_OFFSET] = (byte) count;
    VrrpPacketMutations.fixChecksum(
        seed.version(), message, 0, message.length, seed.source(), seed.destination());
    return withMessage("count changed", seed, message, asDatagram);
  }

  private Input withMessage(String strategy, Seed seed, byte[] message, boolean asDatagram) {
    if (!asDatagram) {
      return input(strategy, seed, message, false);
    }
    byte[] datagram = Arrays.copyOf(seed.datagram(), 20 + message.length);
    System.arraycopy(message, 0, datagram, 20, message.length);
    VrrpPacketMutations.fixTotalLength(datagram, datagram.length);
    return input(strategy, seed, datagram, true);
  }

  private static Input input(String strategy, Seed seed, byte[] bytes, boolean asDatagram) {
    return new Input(strategy, bytes, bytes.length, asDatagram, seed.source(), seed.destination());
  }

  private static VrrpPacket decode(Input input) throws VrrpDecodeException {
    return input.datagram()
        ? VrrpPacket.decodeIpv4Datagram(input.bytes(), input.length()).packet()
        : VrrpPacket.decode(input.bytes(), 0, input.length(), input.source(), input.destination());
  }

  /**
   * An accepted input encodes back to its own bytes, except that the 4 reserved bits of v3 (and the
   * checksum over them) are zero in ours.
   */
  private static void assertReencodesToItself(Input input, VrrpPacket packet)
      throws VrrpDecodeException {
    int offset = input.datagram() ? (input.bytes()[0] & 0x0f) * 4 : 0;
    InetAddress source = input.source();
    InetAddress destination = input.destination();
    if (input.datagram()) {
      source = VrrpPacketVectors.address(ipv4(input.bytes(), 12));
      destination = VrrpPacketVectors.address(ipv4(input.bytes(), 16));
    }
    byte[] received = Arrays.copyOfRange(input.bytes(), offset, input.length());
    byte[] ours = packet.encode(source, destination);
    boolean reservedBitsSet =
        packet.version() == 3 && (received[VrrpPacket.V3_ADVERT_INTERVAL_OFFSET] & 0xf0) != 0;
    if (reservedBitsSet) {
      assertThat(VrrpPacket.decode(ours, 0, ours.length, source, destination)).isEqualTo(packet);
    } else {
      assertThat(ours).isEqualTo(received);
    }
  }

  private static String ipv4(byte[] bytes, int at) {
    return (bytes[at] & 0xff)
        + "."
        + (bytes[at + 1] & 0xff)
        + "."
        + (bytes[at + 2] & 0xff)
        + "."
        + (bytes[at + 3] & 0xff);
  }

  private static String describe(Input input) {
    return (input.datagram() ? "datagram " : "message ")
        + HexFormat.of().formatHex(input.bytes(), 0, input.length())
        + " from "
        + input.source()
        + " to "
        + input.destination();
  }

  /** The golden adverts, plus IPv6 VRRPv3 and multi-address adverts of our own encoder. */
  private static List<Seed> seeds() {
    List<Seed> seeds = new ArrayList<>();
    for (String name : VrrpPacketVectors.ADVERTS) {
      VrrpPacketVectors golden = VrrpPacketVectors.load(name);
      seeds.add(
          new Seed(
              golden.version(),
              golden.vrrpMessage(),
              golden.source(),
              golden.destination(),
              golden.ipv4Datagram()));
    }
    InetAddress linkLocal = VrrpPacketVectors.address("fe80::c6:12ff:fe00:b");
    InetAddress allVrrpV6 = VrrpPacketVectors.address("ff02::12");
    seeds.add(ours(VrrpPacket.v3(99, 100, 10, addresses("2001:2::50")), linkLocal, allVrrpV6));
    seeds.add(
        ours(
            VrrpPacket.v3(
                7,
                255,
                4095,
                List.of(
                    VrrpPacketVectors.ipv6("2001:2::50"),
                    VrrpPacketVectors.ipv6("2001:2::51"),
                    VrrpPacketVectors.ipv6("::ffff:198.18.0.50"))),
            linkLocal,
            allVrrpV6));
    Inet4Address d1 = (Inet4Address) VrrpPacketVectors.address("198.18.0.11");
    Inet4Address group = (Inet4Address) VrrpPacketVectors.address("224.0.0.18");
    seeds.add(
        ours(
            VrrpPacket.v2(1, 254, 255, addresses("198.18.0.50", "198.18.0.51", "198.18.0.52")),
            d1,
            group));
    seeds.add(ours(VrrpPacket.v3(255, 1, 1, addresses("198.18.0.50", "198.18.0.51")), d1, group));
    return seeds;
  }

  private static Seed ours(VrrpPacket packet, InetAddress source, InetAddress destination) {
    byte[] message = packet.encode(source, destination);
    byte[] datagram =
        source instanceof Inet4Address
            ? VrrpPacketMutations.ipv4Datagram(
                (Inet4Address) source, (Inet4Address) destination, message)
            : null;
    return new Seed(packet.version(), message, source, destination, datagram);
  }

  private static List<InetAddress> addresses(String... literals) {
    return Arrays.stream(literals).map(VrrpPacketVectors::address).toList();
  }
}
