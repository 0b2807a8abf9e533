/**
 * The kubelvs API, group {@code kubelvs.io}, version {@code v1alpha1}.
 *
 * <p>Users write {@link io.kubelvs.api.v1alpha1.DirectorPool} (platform team) and {@link
 * io.kubelvs.api.v1alpha1.VirtualService} (app teams); the operator writes one {@link
 * io.kubelvs.api.v1alpha1.Director} per director node for that node's agent. Field descriptions
 * name the keepalived keyword a field maps, so {@code kubectl explain} teaches the mapping.
 *
 * <p>Cross-field CEL rules live on the user-facing types only. The Director is written by the
 * operator from already validated input, and keeping its schema free of rules nested under its
 * large lists keeps the API server's CEL cost estimate far below its limit.
 */
package io.kubelvs.api.v1alpha1;
