package io.kubelvs.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Collectors;

/** Golden bytes are written as hex with spaces between the groups, as a packet dump shows them. */
public final class Hex {
  private Hex() {}

  public static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  public static String of(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** A test resource of hex lines; lines starting with # say where the bytes came from. */
  public static byte[] resource(String name) {
    try (InputStream in = Hex.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource golden/" + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      return bytes(
          text.lines().filter(line -> !line.startsWith("#")).collect(Collectors.joining()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
