/**
 * The operator as a program: {@code kubelvs-operator.jar}'s Main, leader election, probes and
 * metrics around the reconcile loop.
 */
package io.kubelvs.operator.cli;
