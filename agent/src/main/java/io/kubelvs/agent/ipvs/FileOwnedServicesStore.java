package io.kubelvs.agent.ipvs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The owned set in a text file on the node, one {@link ServiceKeyText} per line, sorted, with
 * {@code #} comments. Saving writes a temporary file in the same directory, fsyncs it, renames it
 * over the old one and fsyncs the directory: after a crash the file holds either the old set or the
 * new one, never a mix or nothing.
 */
public final class FileOwnedServicesStore implements OwnedServicesStore {
  private static final String HEADER =
      "# IPVS services kubelvs created on this node; others are left alone. Written by the agent.\n";

  private final Path path;

  public FileOwnedServicesStore(Path path) {
    this.path = path.toAbsolutePath();
  }

  public Path path() {
    return path;
  }

  @Override
  public Set<ServiceKey> load() {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      throw new OwnedServicesStoreException("cannot read owned IPVS services from " + path, e);
    }
    Set<ServiceKey> owned = new LinkedHashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        owned.add(ServiceKeyText.parse(line));
      } catch (IllegalArgumentException e) {
        throw new OwnedServicesStoreException(
            path
                + ":"
                + (i + 1)
                + ": \""
                + line
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
      replace(text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new OwnedServicesStoreException("cannot save owned IPVS services to " + path, e);
    }
  }

  private void replace(byte[] content) throws IOException {
    Path dir = path.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      moveAtomically(temp);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  private void moveAtomically(Path temp) throws IOException {
    try {
      Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + path + " cannot rename atomically", e);
    }
  }

  /** The rename lives in the directory: without this fsync a power cut may forget it. */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
