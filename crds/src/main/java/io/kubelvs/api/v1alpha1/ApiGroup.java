package io.kubelvs.api.v1alpha1;

/** Names shared by every kind of the API. */
public final class ApiGroup {
  public static final String GROUP = "kubelvs.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** {@code kubectl get kubelvs} lists every kind of the API. */
  public static final String CATEGORY = "kubelvs";

  private ApiGroup() {}
}
