package io.kubelvs.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kubelvs.api.v1alpha1.Director;
import io.kubelvs.api.v1alpha1.DirectorPool;
import io.kubelvs.api.v1alpha1.VirtualServerSet;
import io.kubelvs.api.v1alpha1.VirtualService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The CRDs as the build generates them: fabric8's crd-generator output (written by the Maven plugin
 * to target/classes/META-INF/fabric8), with the printer columns put back in the order the Java type
 * declares them (the generator sorts them by JSON path, which would put AGE first).
 */
public final class GeneratedCrds {
  public static final List<Class<? extends CustomResource<?, ?>>> KINDS =
      List.of(DirectorPool.class, VirtualService.class, Director.class, VirtualServerSet.class);

  private static final Path MODULE = Path.of(System.getProperty("user.dir"));
  private static final Path GENERATOR_OUTPUT = MODULE.resolve("target/classes/META-INF/fabric8");

  static final String HEADER =
      "# Generated from the Java types in io.kubelvs.api.v1alpha1 by fabric8's crd-generator.\n"
          + "# Do not edit: change the types, then run hack/update-crds.sh.\n";

  private GeneratedCrds() {}

  /** Where the checked-in CRD of a kind lives: crds/<plural>.kubelvs.io.yaml. */
  public static Path checkedIn(Class<? extends CustomResource<?, ?>> kind) {
    return MODULE.resolve(CustomResource.getCRDName(kind) + ".yaml");
  }

  /** All checked-in CRD files. */
  public static List<Path> checkedInFiles() {
    return KINDS.stream().map(GeneratedCrds::checkedIn).toList();
  }

  public static CustomResourceDefinition generated(Class<? extends CustomResource<?, ?>> kind) {
    Path file = GENERATOR_OUTPUT.resolve(CustomResource.getCRDName(kind) + "-v1.yml");
    CustomResourceDefinition crd;
    try {
      crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("CRD generator output missing: " + file, e);
    }
    List<String> declared =
        Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      version
          .getAdditionalPrinterColumns()
          .sort(
              Comparator.comparingInt(
                  (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
    }
    return crd;
  }

  /** The text the checked-in file must hold. */
  public static String render(Class<? extends CustomResource<?, ?>> kind) {
    return HEADER + Serialization.asYaml(generated(kind)).replaceFirst("^---\n", "");
  }
}
