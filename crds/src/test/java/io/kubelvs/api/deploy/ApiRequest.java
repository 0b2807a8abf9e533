package io.kubelvs.api.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One request to the API server as its RBAC authorizer sees it: the verb (from the method, and for
 * a GET whether it names an object or watches), the API group, the resource with its subresource
 * ({@code directors/status}), the namespace (null for cluster-scoped requests and for requests
 * across all namespaces) and the object's name (null for collections). Requests outside {@code
 * /api} and {@code /apis/GROUP/VERSION} (discovery, {@code /version}) are non-resource requests.
 */
public record ApiRequest(
    String verb, String group, String resource, String namespace, String name, String path) {

  /** What every authenticated user may read (the system:discovery ClusterRole). */
  private static final Set<String> DISCOVERY = Set.of("/api", "/apis", "/version", "/openapi");

  /**
   * The RBAC attributes of {@code method} on {@code pathAndQuery}, as the API server finds them.
   */
  public static ApiRequest of(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    String path = uri.getPath();
    List<String> parts = new ArrayList<>(List.of(path.substring(1).split("/")));
    String group;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      parts = parts.subList(2, parts.size());
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      parts = parts.subList(3, parts.size());
    } else {
      return new ApiRequest(
          method.toLowerCase(java.util.Locale.ROOT), null, null, null, null, path);
    }
    String namespace = null;
    if (parts.size() >= 3 && parts.get(0).equals("namespaces")) {
      namespace = parts.get(1);
      parts = parts.subList(2, parts.size());
    }
    String resource = parts.get(0);
    String name = parts.size() >= 2 ? parts.get(1) : null;
    if (parts.size() >= 3) {
      resource = resource + "/" + parts.get(2);
    }
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String verb =
        switch (method) {
          case "GET", "HEAD" ->
              query.contains("watch=true") ? "watch" : name == null ? "list" : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name == null ? "deletecollection" : "delete";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return new ApiRequest(verb, group, resource, namespace, name, path);
  }

  /** Discovery and the like: not about a resource. */
  public boolean nonResource() {
    return resource == null;
  }

  /** A non-resource request every authenticated user may make. */
  public boolean discovery() {
    return nonResource()
        && DISCOVERY.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
  }

  @Override
  public String toString() {
    if (nonResource()) {
      return verb + " " + path;
    }
    return verb
        + " "
        + (group.isEmpty() ? "core" : group)
        + "/"
        + resource
        + (name == null ? "" : " " + name)
        + (namespace == null ? "" : " in " + namespace);
  }
}
