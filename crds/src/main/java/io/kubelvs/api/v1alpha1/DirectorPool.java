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

/** Director nodes that share VIPs by VRRP, and how they do it. Cluster-scoped. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Singular("directorpool")
@Plural("directorpools")
@ShortNames("dpool")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "INTERFACE",
    jsonPath = ".spec.interface.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "VRRP",
    jsonPath = ".spec.vrrp.version",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "NODES",
    jsonPath = ".status.readyNodes",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "VIPS",
    jsonPath = ".status.vipCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "READY",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(
    value = SchemaDescriptions.class,
    input =
        "{\".\": \"Director nodes that share VIPs by VRRP, and how they speak it (keepalived global_defs and vrrp_instance settings). Cluster-scoped; owned by the platform team.\", \"spec\": \"Which nodes direct and their VRRP settings.\", \"status\": \"The pool's nodes, VIP allocations and conditions, written by the kubelvs operator.\"}")
public class DirectorPool extends CustomResource<DirectorPoolSpec, DirectorPoolStatus> {}
