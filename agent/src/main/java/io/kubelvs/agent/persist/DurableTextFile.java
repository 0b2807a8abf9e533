package io.kubelvs.agent.persist;

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
import java.util.ArrayList;
import java.util.List;

/**
 * A small text file of state the agent keeps on the node across its own restarts (what it owns in
 * the kernel). Replacing it writes a temporary file in the same directory, fsyncs it, renames it
 * over the old one and fsyncs the directory: after a crash or power cut the file holds either the
 * old content or the new one, never a mix or nothing.
 */
public final class DurableTextFile {

  /** A line that is not a comment, with its 1-based line number for error messages. */
  public record Line(int number, String text) {}

  private final Path path;

  public DurableTextFile(Path path) {
    this.path = path.toAbsolutePath();
  }

  public Path path() {
    return path;
  }

  /** The stripped lines that are neither blank nor {@code #} comments; none if there is no file. */
  public List<Line> readLines() throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Line> content = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        content.add(new Line(i + 1, line));
      }
    }
    return content;
  }

  /** Replaces the file's content atomically and durably, creating its directory if needed. */
  public void replace(String content) throws IOException {
    Path dir = path.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
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
