package org.ipam.harvester.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;
import java.util.Map;

/** The LoadBalancer fields of reference 1.3, and the listeners and health check beside them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@PreserveUnknownFields
public class LoadBalancerSpec {
  private String description;

  @Pattern("^(vm|cluster)?$")
  @JsonPropertyDescription("vm (the default) or cluster (made by the cloud provider).")
  private String workloadType;

  @Pattern("^(pool|dhcp)$")
  @JsonPropertyDescription("pool (the default) or dhcp.")
  private String ipam;

  @JsonPropertyDescription("The IPPool to take the address from; empty: chosen by the selector.")
  private String ipPool;

  private List<Listener> listeners;

  private Map<String, List<String>> backendServerSelector;

  private HealthCheck healthCheck;

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public String getWorkloadType() {
    return workloadType;
  }

  public void setWorkloadType(String workloadType) {
    this.workloadType = workloadType;
  }

  public String getIpam() {
    return ipam;
  }

  public void setIpam(String ipam) {
    this.ipam = ipam;
  }

  public String getIpPool() {
    return ipPool;
  }

  public void setIpPool(String ipPool) {
    this.ipPool = ipPool;
  }

  public List<Listener> getListeners() {
    return listeners;
  }

  public void setListeners(List<Listener> listeners) {
    this.listeners = listeners;
  }

  public Map<String, List<String>> getBackendServerSelector() {
    return backendServerSelector;
  }

  public void setBackendServerSelector(Map<String, List<String>> backendServerSelector) {
    this.backendServerSelector = backendServerSelector;
  }

  public HealthCheck getHealthCheck() {
    return healthCheck;
  }

  public void setHealthCheck(HealthCheck healthCheck) {
    this.healthCheck = healthCheck;
  }

  /** One port of the LoadBalancer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @PreserveUnknownFields
  public static class Listener {
    private String name;
    private Integer port;
    private String protocol;
    private Integer backendPort;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public Integer getPort() {
      return port;
    }

    public void setPort(Integer port) {
      this.port = port;
    }

    public String getProtocol() {
      return protocol;
    }

    public void setProtocol(String protocol) {
      this.protocol = protocol;
    }

    public Integer getBackendPort() {
      return backendPort;
    }

    public void setBackendPort(Integer backendPort) {
      this.backendPort = backendPort;
    }
  }

  /** The backends' health check. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @PreserveUnknownFields
  public static class HealthCheck {
    private Integer port;
    private Integer successThreshold;
    private Integer failureThreshold;
    private Integer periodSeconds;
    private Integer timeoutSeconds;

    public Integer getPort() {
      return port;
    }

    public void setPort(Integer port) {
      this.port = port;
    }

    public Integer getSuccessThreshold() {
      return successThreshold;
    }

    public void setSuccessThreshold(Integer successThreshold) {
      this.successThreshold = successThreshold;
    }

    public Integer getFailureThreshold() {
      return failureThreshold;
    }

    public void setFailureThreshold(Integer failureThreshold) {
      this.failureThreshold = failureThreshold;
    }

    public Integer getPeriodSeconds() {
      return periodSeconds;
    }

    public void setPeriodSeconds(Integer periodSeconds) {
      this.periodSeconds = periodSeconds;
    }

    public Integer getTimeoutSeconds() {
      return timeoutSeconds;
    }

    public void setTimeoutSeconds(Integer timeoutSeconds) {
      this.timeoutSeconds = timeoutSeconds;
    }
  }
}
