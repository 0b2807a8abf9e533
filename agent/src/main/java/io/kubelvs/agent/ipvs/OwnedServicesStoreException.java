package io.kubelvs.agent.ipvs;

/** The owned-services file could not be read or written; the message names the file. */
public class OwnedServicesStoreException extends RuntimeException {
  public OwnedServicesStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
