package io.kubelvs.agent.vrrp;

import io.kubelvs.agent.netlink.CidrAddress;
import io.kubelvs.agent.persist.DurableTextFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** The VIPs a runner added, one {@code address/prefix} per line, replaced atomically. */
public final class FileVipStore implements VipStore {
  private static final String HEADER =
      "# VIPs kubelvs added to this interface; others are never removed. Written by the agent.\n";

  private final DurableTextFile file;

  public FileVipStore(Path path) {
    this.file = new DurableTextFile(path);
  }

  @Override
  public Set<CidrAddress> load() {
    Set<CidrAddress> vips = new LinkedHashSet<>();
    try {
      for (DurableTextFile.Line line : file.readLines()) {
        try {
          vips.add(CidrAddress.parse(line.text()));
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException(
              file.path() + ":" + line.number() + ": \"" + line.text() + "\" is not a VIP", e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the VIPs kubelvs added from " + file.path(), e);
    }
    return Set.copyOf(vips);
  }

  @Override
  public void save(Set<CidrAddress> added) {
    StringBuilder text = new StringBuilder(HEADER);
    added.stream().map(CidrAddress::toString).sorted().forEach(v -> text.append(v).append('\n'));
    try {
      file.replace(text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the VIPs kubelvs added to " + file.path(), e);
    }
  }
}
