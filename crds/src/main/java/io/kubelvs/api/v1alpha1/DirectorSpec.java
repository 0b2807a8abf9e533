package io.kubelvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole desired configuration of one director node, as the operator planned it.
 *
 * <p>Each virtual server sits in the VRRP instance whose VIP it serves, so a change to one service
 * rewrites one instance's short list rather than one list of the whole pool. On an API server that
 * diffs lists (fabric8's mock server diffs every write by longest common subsequence, quadratic in
 * a list's length) a pool of 1,700 services made each Director write cost 300-400 ms; nested in
 * instances of 20 VIPs, the mock spends about 24 ms per write, a third of it diffing. Only servers
 * on no VIP (firewall marks) stay in the Director's own list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@SchemaCustomizer(
    value = ListTypes.class,
    input = "vrrpInstances: map(name); virtualServers: map(name)")
public record DirectorSpec(
    @Required @JsonPropertyDescription("The node this Director is for.") String nodeName,
    @Required @JsonPropertyDescription("The DirectorPool the node belongs to.") String poolName,
    @Size(max = 1024)
        @JsonPropertyDescription(
            "VRRP instances of the node (keepalived vrrp_instance), each with the virtual servers"
                + " of its VIPs.")
        List<VrrpInstance> vrrpInstances,
    @Size(max = 1000)
        @JsonPropertyDescription(
            "IPVS virtual servers on no VIP of an instance: firewall marks (keepalived"
                + " virtual_server fwmark).")
        List<VirtualServer> virtualServers,
    @JsonPropertyDescription("Notifications (keepalived global_defs).") Notification notification) {

  /**
   * Every virtual server written into this spec: each instance's inline ones in instance order,
   * then the spec's own; not those of the VirtualServerSets the instances name.
   */
  @JsonIgnore
  public List<VirtualServer> allVirtualServers() {
    List<VirtualServer> all = new ArrayList<>();
    if (vrrpInstances != null) {
      for (VrrpInstance instance : vrrpInstances) {
        if (instance.virtualServers() != null) {
          all.addAll(instance.virtualServers());
        }
      }
    }
    if (virtualServers != null) {
      all.addAll(virtualServers);
    }
    return all;
  }
}
