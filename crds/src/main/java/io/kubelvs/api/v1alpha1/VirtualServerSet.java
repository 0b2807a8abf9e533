package io.kubelvs.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The virtual servers of one VRRP instance of a pool, written once and shared by the Directors of
 * every node of the pool, which name it (with the generation to apply) in that instance. A change
 * to one VirtualService rewrites its instance's set and a reference per node, not every node's
 * whole configuration. Cluster-scoped; written by the operator only.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Singular("virtualserverset")
@Plural("virtualserversets")
@ShortNames("vsset")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "POOL",
    jsonPath = ".spec.poolName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "INSTANCE",
    jsonPath = ".spec.instanceName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(
    value = SchemaDescriptions.class,
    input =
        "{\".\": \"The IPVS virtual servers of one VRRP instance of a DirectorPool, shared by the"
            + " Directors of the pool's nodes, which refer to it by name and generation. Written by"
            + " the kubelvs operator.\", \"spec\": \"The instance's virtual servers, fully"
            + " resolved.\", \"status\": \"Unused: a set is desired state only; each Director's"
            + " status says what its node applied.\"}")
public class VirtualServerSet extends CustomResource<VirtualServerSetSpec, Void> {}
