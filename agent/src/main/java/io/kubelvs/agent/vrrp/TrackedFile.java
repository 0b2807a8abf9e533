package io.kubelvs.agent.vrrp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A file holding a number that moves an instance's priority, as keepalived's {@code
 * vrrp_track_file} and an instance's {@code track_file} (vrrp_track.c): the value read, times the
 * weight, clamped to -254..253, is added to the priority, and -254 puts the instance in FAULT; with
 * weight 0 any value but 0 is a FAULT. A missing or unreadable file, or text that is no number,
 * reads as 0. keepalived watches the file with inotify; the runner polls it every {@link
 * TrackedFilePoller#POLL_INTERVAL}.
 *
 * @param name the vrrp_track_file's name
 * @param path the file [file]
 * @param weight -254..254, this instance's [weight, 1 unless said]
 * @param initValue written to the file at start when it is missing (or always, with {@code
 *     overwrite}) [init_file VALUE]
 * @param overwrite whether {@code initValue} replaces an existing file [init_file VALUE overwrite]
 */
public record TrackedFile(
    String name, Path path, int weight, OptionalInt initValue, boolean overwrite) {

  /** keepalived reads at most this many bytes of the file. */
  private static final int READ_BYTES = 127;

  /** The value keepalived clamps a file's number to, and the sum meaning FAULT. */
  static final int LIMIT = 254;

  public TrackedFile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(initValue, "initValue");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("track file " + name + ": " + path + " is not absolute");
    }
    if (weight < -LIMIT || weight > LIMIT) {
      throw new IllegalArgumentException(
          "track file " + name + ": weight " + weight + " not in ±254");
    }
  }

  /** The same file with the weight another instance gives it. */
  public TrackedFile withWeight(int newWeight) {
    return new TrackedFile(name, path, newWeight, initValue, overwrite);
  }

  /** The file's value now, clamped to ±254; 0 when it cannot be read. */
  static int read(Path path) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(READ_BYTES);
    } catch (IOException | SecurityException e) {
      return 0;
    }
    long value = strtol(new String(bytes, StandardCharsets.ISO_8859_1));
    return (int) Math.max(-LIMIT, Math.min(LIMIT, value));
  }

  /**
   * C's {@code strtol(text, NULL, 0)}: leading blanks, a sign, then 0x/0X for hex, 0 for octal,
   * else decimal, up to the first character that is no digit; no digits is 0. Saturates instead of
   * overflowing, which the clamp to ±254 makes the same.
   */
  static long strtol(String text) {
    int at = 0;
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
    boolean negative = false;
    if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
      negative = text.charAt(at) == '-';
      at++;
    }
    int radix = 10;
    if (at + 1 < text.length()
        && text.charAt(at) == '0'
        && (text.charAt(at + 1) == 'x' || text.charAt(at + 1) == 'X')
        && at + 2 < text.length()
        && Character.digit(text.charAt(at + 2), 16) >= 0) {
      radix = 16;
      at += 2;
    } else if (at < text.length() && text.charAt(at) == '0') {
      radix = 8;
    }
    long value = 0;
    while (at < text.length() && Character.digit(text.charAt(at), radix) >= 0) {
      value = Math.min(Integer.MAX_VALUE, value * radix + Character.digit(text.charAt(at), radix));
      at++;
    }
    return negative ? -value : value;
  }

  /**
   * What a value contributes to this instance: the priority change, or -{@link #LIMIT} for FAULT.
   */
  int status(int value) {
    if (weight == 0) {
      return value != 0 ? -LIMIT : 0;
    }
    long product = (long) value * weight;
    return (int) Math.max(-LIMIT, Math.min(LIMIT - 1, product));
  }
}
