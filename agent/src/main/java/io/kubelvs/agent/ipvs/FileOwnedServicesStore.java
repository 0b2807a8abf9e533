package io.kubelvs.agent.ipvs;

import io.kubelvs.agent.persist.DurableTextFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The owned set in a text file on the node, one {@link ServiceKeyText} per line, sorted, with
 * {@code #} comments, replaced atomically ({@link DurableTextFile}).
 */
public final class FileOwnedServicesStore implements OwnedServicesStore {
  private static final String HEADER =
      "# IPVS services kubelvs created on this node; others are left alone. Written by the agent.\n";

  private final DurableTextFile file;

  public FileOwnedServicesStore(Path path) {
    this.file = new DurableTextFile(path);
  }

  public Path path() {
    return file.path();
  }

  @Override
  public Set<ServiceKey> load() {
    List<DurableTextFile.Line> lines;
    try {
      lines = file.readLines();
    } catch (IOException e) {
      throw new OwnedServicesStoreException("cannot read owned IPVS services from " + path(), e);
    }
    Set<ServiceKey> owned = new LinkedHashSet<>();
    for (DurableTextFile.Line line : lines) {
      try {
        owned.add(ServiceKeyText.parse(line.text()));
      } catch (IllegalArgumentException e) {
        throw new OwnedServicesStoreException(
            path()
                + ":"
                + line.number()
                + ": \""
                + line.text()
                + "\" is not an IPVS service key: "
                + e.getMessage(),
            e);
      }
    }
    return Set.copyOf(owned);
  }

  @Override
  public void save(Set<ServiceKey> owned) {
    StringBuilder text = new StringBuilder(HEADER);
    owned.stream()
        .map(ServiceKeyText::format)
        .sorted()
        .forEach(line -> text.append(line).append('\n'));
    try {
      file.replace(text.toString());
    } catch (IOException e) {
      throw new OwnedServicesStoreException("cannot save owned IPVS services to " + path(), e);
    }
  }
}
