package dev.mesoskit.benchmarks;

import com.netflix.fenzo.TaskRequest;
import com.netflix.fenzo.VirtualMachineLease;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos;

/**
 * Plain implementations of Fenzo's lease and task request interfaces, the way Fenzo's own tests
 * mock them, so that Fenzo and MesosKit see the same hosts and tasks.
 */
final class FenzoLeases {
  private FenzoLeases() {}

  /** A lease with the given free resources. */
  static VirtualMachineLease lease(String id, String hostname, double cpus, double memory,
      double network, double disk, List<VirtualMachineLease.Range> ports,
      Map<String, Double> scalars) {
    Map<String, Double> scalarValues = new java.util.HashMap<>(scalars);
    // Fenzo expires leases offered longer ago than its expiry; they are offered now.
    long offeredAt = System.currentTimeMillis();
    return new VirtualMachineLease() {
      @Override
      public String getId() {
        return id;
      }

      @Override
      public long getOfferedTime() {
        return offeredAt;
      }

      @Override
      public String hostname() {
        return hostname;
      }

      @Override
      public String getVMID() {
        return hostname;
      }

      @Override
      public double cpuCores() {
        return cpus;
      }

      @Override
      public double memoryMB() {
        return memory;
      }

      @Override
      public double networkMbps() {
        return network;
      }

      @Override
      public double diskMB() {
        return disk;
      }

      @Override
      public List<Range> portRanges() {
        return ports;
      }

      @Override
      public Protos.Offer getOffer() {
        return Protos.Offer.newBuilder()
            .setId(Protos.OfferID.newBuilder().setValue(id))
            .setHostname(hostname)
            .setSlaveId(Protos.SlaveID.newBuilder().setValue(hostname))
            .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("bench"))
            .build();
      }

      @Override
      public Map<String, Protos.Attribute> getAttributeMap() {
        // Fenzo looks up a null key; immutable Map.of() would throw.
        return java.util.Collections.emptyMap();
      }

      @Override
      public Double getScalarValue(String name) {
        return scalarValues.get(name);
      }

      @Override
      public Map<String, Double> getScalarValues() {
        return scalarValues;
      }
    };
  }

  /** A task request without constraints. */
  static TaskRequest task(String id, double cpus, double memory, double network, double disk,
      int ports, Map<String, Double> scalars) {
    Map<String, Double> scalarRequests = new java.util.HashMap<>(scalars);
    return new TaskRequest() {
      private AssignedResources assigned;

      @Override
      public String getId() {
        return id;
      }

      @Override
      public String taskGroupName() {
        return "";
      }

      @Override
      public double getCPUs() {
        return cpus;
      }

      @Override
      public double getMemory() {
        return memory;
      }

      @Override
      public double getNetworkMbps() {
        return network;
      }

      @Override
      public double getDisk() {
        return disk;
      }

      @Override
      public int getPorts() {
        return ports;
      }

      @Override
      public Map<String, Double> getScalarRequests() {
        return scalarRequests;
      }

      @Override
      public Map<String, NamedResourceSetRequest> getCustomNamedResources() {
        return java.util.Collections.emptyMap();
      }

      @Override
      public List<? extends com.netflix.fenzo.ConstraintEvaluator> getHardConstraints() {
        return null;
      }

      @Override
      public List<? extends com.netflix.fenzo.VMTaskFitnessCalculator> getSoftConstraints() {
        return null;
      }

      @Override
      public void setAssignedResources(AssignedResources assignedResources) {
        this.assigned = assignedResources;
      }

      @Override
      public AssignedResources getAssignedResources() {
        return assigned;
      }
    };
  }
}
