package io.kubelvs.agent.convert;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;

/**
 * What a keepalived.conf became: resources, each with the notes on what of it they do not say.
 *
 * @param header comment lines for the top of the output: how to use it
 * @param fileNotes the notes that belong to no resource (a vrrp_script, a virtual_server_group)
 * @param manifests the resources in the order to apply them: Secret, DirectorPool, VirtualServices
 */
public record Conversion(
    List<String> header, List<ConversionNote> fileNotes, List<Manifest> manifests) {

  /** One resource and the notes written above it. */
  public record Manifest(HasMetadata resource, List<ConversionNote> notes) {
    public Manifest {
      notes = List.copyOf(notes);
    }
  }

  public Conversion {
    header = List.copyOf(header);
    fileNotes = List.copyOf(fileNotes);
    manifests = List.copyOf(manifests);
  }

  /** Every note, the file's first: what the conversion could not say. */
  public List<ConversionNote> notes() {
    List<ConversionNote> notes = new ArrayList<>(fileNotes);
    manifests.forEach(m -> notes.addAll(m.notes()));
    return notes;
  }

  /** Multi-document YAML for kubectl apply -f, the notes as {@code #} comments. */
  public String toYaml() {
    StringBuilder yaml = new StringBuilder();
    header.forEach(line -> yaml.append("# ").append(line).append('\n'));
    fileNotes.forEach(note -> yaml.append("# ").append(note).append('\n'));
    // A blank line ends the header: the comments after it belong to the first resource.
    yaml.append('\n');
    for (int i = 0; i < manifests.size(); i++) {
      Manifest manifest = manifests.get(i);
      if (i > 0) {
        yaml.append("---\n");
      }
      manifest.notes().forEach(note -> yaml.append("# ").append(note).append('\n'));
      yaml.append(Serialization.asYaml(manifest.resource()).replaceFirst("^---\n", ""));
    }
    return yaml.toString();
  }
}
