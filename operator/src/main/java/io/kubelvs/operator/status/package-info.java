/**
 * Pure folds of the plan and the agents' Director status into the status users read: {@code kubectl
 * get vs} (VIP, master, backends, Ready's reason) and {@code kubectl get dpool} (ready nodes, VIPs,
 * Ready). No client, and the time is passed in.
 */
package io.kubelvs.operator.status;
