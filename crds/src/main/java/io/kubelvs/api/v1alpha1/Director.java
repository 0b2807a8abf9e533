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
 * The desired configuration of one director node, named after the node. Cluster-scoped; written by
 * the operator (spec) and by that node's agent (status) only.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Singular("director")
@Plural("directors")
@ShortNames("director")
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "NODE",
    jsonPath = ".spec.nodeName",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "INSTANCES",
    jsonPath = ".status.instanceCount",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "MASTER-OF",
    jsonPath = ".status.masterOf",
    type = AdditionalPrinterColumn.Type.STRING)
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
        "{\".\": \"The whole desired configuration of one director node, named after the node: its VRRP instances and IPVS virtual servers. Written by the kubelvs operator; its status by the node's agent.\", \"spec\": \"The node's desired VRRP instances and virtual servers, fully resolved.\", \"status\": \"What the node's agent applied and observes.\"}")
public class Director extends CustomResource<DirectorSpec, DirectorStatus> {}
