package io.kubelvs.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A highly available load-balanced service: a VIP held by VRRP on a pool's directors, balanced by
 * IPVS to health-checked real servers. Short names {@code vs} and {@code lvs} ({@code vs} alone
 * clashes with Istio's VirtualService).
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Singular("virtualservice")
@Plural("virtualservices")
@ShortNames({"vs", "lvs"})
@Categories(ApiGroup.CATEGORY)
@AdditionalPrinterColumn(
    name = "VIP",
    jsonPath = ".status.vip",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "PORT",
    jsonPath = ".spec.ports[*].port",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "PROTOCOL",
    jsonPath = ".spec.ports[*].protocol",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "MASTER",
    jsonPath = ".status.masterNode",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "BACKENDS",
    jsonPath = ".status.backends",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "STATUS",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@SchemaCustomizer(
    value = SchemaDescriptions.class,
    input =
        "{\".\": \"A highly available load-balanced service: a VIP held by VRRP on the directors of a DirectorPool, balanced by IPVS to health-checked real servers (keepalived virtual_server with its vrrp_instance).\", \"spec\": \"What to balance and how; owned by the app team.\", \"status\": \"What the directors do for this service, folded together by the kubelvs operator.\"}")
public class VirtualService extends CustomResource<VirtualServiceSpec, VirtualServiceStatus>
    implements Namespaced {}
