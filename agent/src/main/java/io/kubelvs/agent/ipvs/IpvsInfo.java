package io.kubelvs.agent.ipvs;

/** IPVS_CMD_GET_INFO: the module's version (0x010201 is 1.2.1) and connection table size. */
public record IpvsInfo(int version, int connectionTableSize) {
  public String versionString() {
    return ((version >> 16) & 0xFF) + "." + ((version >> 8) & 0xFF) + "." + (version & 0xFF);
  }
}
