package io.kubelvs.api.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What RBAC lets one ServiceAccount do, from the Roles, ClusterRoles and their bindings among a set
 * of manifests, decided as the API server's RBAC authorizer decides (rbac.authorization.k8s.io/v1):
 * a request is allowed when some rule bound to the account matches its API group, resource (with
 * subresource), verb and, when the rule names any, the object's name; a ClusterRole bound by a
 * ClusterRoleBinding applies everywhere, a Role or a ClusterRole bound by a RoleBinding only in the
 * binding's namespace. "*" matches anything, as in RBAC.
 */
public final class RbacPolicy {

  /** One rule, and where it applies: {@code namespace} null for cluster-wide. */
  public record Grant(PolicyRule rule, String namespace, String source) {
    boolean allows(ApiRequest request) {
      if (namespace != null && !namespace.equals(request.namespace())) {
        return false;
      }
      return matches(rule.getApiGroups(), request.group())
          && matches(rule.getResources(), request.resource())
          && matches(rule.getVerbs(), request.verb())
          && (rule.getResourceNames() == null
              || rule.getResourceNames().isEmpty()
              || rule.getResourceNames().contains(request.name()));
    }

    private static boolean matches(List<String> allowed, String value) {
      return allowed != null && (allowed.contains("*") || allowed.contains(value));
    }
  }

  private final List<Grant> grants;

  private RbacPolicy(List<Grant> grants) {
    this.grants = List.copyOf(grants);
  }

  /** The grants of ServiceAccount {@code namespace/name} among {@code objects}. */
  public static RbacPolicy forServiceAccount(
      List<? extends HasMetadata> objects, String namespace, String name) {
    List<Grant> grants = new ArrayList<>();
    for (HasMetadata object : objects) {
      if (object instanceof ClusterRoleBinding binding
          && bindsAccount(binding.getSubjects(), null, namespace, name)) {
        for (PolicyRule rule : rules(objects, binding.getRoleRef(), null)) {
          grants.add(new Grant(rule, null, "ClusterRole " + binding.getRoleRef().getName()));
        }
      } else if (object instanceof RoleBinding binding
          && bindsAccount(
              binding.getSubjects(), binding.getMetadata().getNamespace(), namespace, name)) {
        String in = binding.getMetadata().getNamespace();
        for (PolicyRule rule : rules(objects, binding.getRoleRef(), in)) {
          grants.add(
              new Grant(
                  rule,
                  in,
                  binding.getRoleRef().getKind()
                      + " "
                      + in
                      + "/"
                      + binding.getRoleRef().getName()));
        }
      }
    }
    return new RbacPolicy(grants);
  }

  private static boolean matches(String granted, String requested) {
    return granted.equals("*") || granted.equals(requested);
  }

  private static boolean bindsAccount(
      List<Subject> subjects, String bindingNamespace, String namespace, String name) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    "ServiceAccount".equals(s.getKind())
                        && name.equals(s.getName())
                        && namespace.equals(
                            s.getNamespace() != null ? s.getNamespace() : bindingNamespace));
  }

  private static List<PolicyRule> rules(
      List<? extends HasMetadata> objects, RoleRef ref, String namespace) {
    for (HasMetadata object : objects) {
      if (!object.getMetadata().getName().equals(ref.getName())) {
        continue;
      }
      if (ref.getKind().equals("ClusterRole") && object instanceof ClusterRole role) {
        return role.getRules();
      }
      if (ref.getKind().equals("Role")
          && object instanceof Role role
          && Objects.equals(role.getMetadata().getNamespace(), namespace)) {
        return role.getRules();
      }
    }
    throw new AssertionError("no " + ref.getKind() + " " + ref.getName() + " for its binding");
  }

  public List<Grant> grants() {
    return grants;
  }

  /** Whether RBAC allows {@code request}; discovery is every authenticated user's. */
  public boolean allows(ApiRequest request) {
    return request.discovery() || grants.stream().anyMatch(g -> g.allows(request));
  }

  /**
   * The grants no request used, each as "verb group/resource [in namespace]": every verb of every
   * resource of every group of every rule must be used by one request at least ("*" by any).
   */
  public List<String> unused(List<ApiRequest> requests) {
    List<String> unused = new ArrayList<>();
    for (Grant grant : grants) {
      for (String group : grant.rule().getApiGroups()) {
        for (String resource : grant.rule().getResources()) {
          for (String verb : grant.rule().getVerbs()) {
            boolean used =
                requests.stream()
                    .anyMatch(
                        r ->
                            matches(group, r.group())
                                && matches(resource, r.resource())
                                && matches(verb, r.verb())
                                && (grant.namespace() == null
                                    || grant.namespace().equals(r.namespace())));
            if (!used) {
              unused.add(
                  verb
                      + " "
                      + (group.isEmpty() ? "core" : group)
                      + "/"
                      + resource
                      + (grant.namespace() == null ? "" : " in " + grant.namespace()));
            }
          }
        }
      }
    }
    return unused;
  }
}
