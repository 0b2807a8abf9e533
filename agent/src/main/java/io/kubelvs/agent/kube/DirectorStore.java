package io.kubelvs.agent.kube;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kubelvs.api.v1alpha1.Director;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last Director the agent applied, kept on the node ({@code <state-dir>/director.json}) with
 * the Secret values it used, so that a restart while the API server is away comes up with the same
 * configuration (static stability). It is the Director as resolved ({@link DirectorSets}): the
 * virtual servers of the VirtualServerSets it named are in its instances, so it needs no set. The
 * file is written whole to a temporary name and moved over the old one, readable by its owner only:
 * it holds the VRRP password, as keepalived.conf does.
 */
public final class DirectorStore {
  private static final Logger LOG = LoggerFactory.getLogger(DirectorStore.class);
  static final String FILE_NAME = "director.json";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * @param secrets the Secret values the mapping read, by {@code secretName/key}
   */
  public record Saved(Director director, Map<String, String> secrets) {
    public Saved {
      Objects.requireNonNull(director, "director");
      secrets = Map.copyOf(secrets);
    }

    /** The saved values as the mapping reads Secrets; a value not saved is absent. */
    public SecretReader secretReader() {
      return (name, key) -> Optional.ofNullable(secrets.get(name + "/" + key));
    }
  }

  private final Path file;

  public DirectorStore(Path stateDir) {
    this.file = stateDir.resolve(FILE_NAME);
  }

  public Path file() {
    return file;
  }

  /** The saved Director; empty when there is none or it cannot be read (logged). */
  public Optional<Saved> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.unmarshal(Files.readString(file), Saved.class));
    } catch (IOException | RuntimeException e) {
      LOG.error(
          "the saved director cannot be read, ignoring it file={} error=\"{}\"",
          file,
          e.getMessage());
      return Optional.empty();
    }
  }

  /** Saves {@code saved} in place of the last one; a failure is logged, the agent runs on. */
  public void save(Saved saved) {
    Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
    try {
      Files.deleteIfExists(temporary);
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temporary, JSON.asJson(saved));
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("the applied director cannot be saved file={} error=\"{}\"", file, e.getMessage());
    }
  }

  /** Forgets the saved Director: the node is no longer a director. */
  public void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.error("the saved director cannot be removed file={} error=\"{}\"", file, e.getMessage());
    }
  }
}
