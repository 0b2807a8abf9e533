/**
 * Notifications, as keepalived sends them: mail through an SMTP relay ({@code smtp_server}), notify
 * scripts ({@code notify_master}, {@code notify_up}, ...) and one structured log line per event.
 * {@link io.kubelvs.agent.notify.Notifier} turns the VRRP core's state changes and the health
 * checker's events into all three, off the cores' threads.
 */
package io.kubelvs.agent.notify;
