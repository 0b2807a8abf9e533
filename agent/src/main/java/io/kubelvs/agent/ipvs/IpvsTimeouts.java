package io.kubelvs.agent.ipvs;

/** Connection timeouts in seconds (ipvsadm --set tcp tcpfin udp); 0 leaves one unchanged. */
public record IpvsTimeouts(int tcpSeconds, int tcpFinSeconds, int udpSeconds) {}
