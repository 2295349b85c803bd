package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

/** {@link Wire#notUtf8}: which string field of a protobuf call is not UTF-8, at any depth. */
class WireUtf8Test {
  private static final ByteString NOT_UTF8 = ByteString.copyFrom(new byte[] {'t', (byte) 0xc3});

  private static Call accept(Protos.TaskInfo task) {
    return Call.newBuilder().setType(Call.Type.ACCEPT)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("f"))
        .setAccept(Call.Accept.newBuilder()
            .addOfferIds(Protos.OfferID.newBuilder().setValue("o1"))
            .addOperations(Protos.Offer.Operation.newBuilder()
                .setType(Protos.Offer.Operation.Type.LAUNCH)
                .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(task))))
        .build();
  }

  private static Protos.TaskInfo.Builder task(String id) {
    return Protos.TaskInfo.newBuilder().setName("n").setTaskId(
            Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a"))
        .addResources(Protos.Resource.newBuilder().setName("cpus")
            .setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(0.01)))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("true é"));
  }

  @Test
  void aCallWhoseStringsAreUtf8IsFineWhateverItsOtherBytes() {
    Call acknowledge = Call.newBuilder().setType(Call.Type.ACKNOWLEDGE)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("f"))
        .setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(Protos.AgentID.newBuilder().setValue("a"))
            .setTaskId(Protos.TaskID.newBuilder().setValue("t"))
            .setUuid(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xc3, 0, (byte) 0x80})))
        .build();

    assertThat(Wire.notUtf8(acknowledge.toByteArray(), Call.getDescriptor())).isNull();
    assertThat(Wire.notUtf8(accept(task("t1").build()).toByteArray(), Call.getDescriptor()))
        .isNull();
  }

  @Test
  void aStringFieldThatIsNotUtf8IsNamedByItsPath() {
    Call deep = accept(task("t1").setCommand(Protos.CommandInfo.newBuilder()
        .setValueBytes(NOT_UTF8)).build());
    Call id = Call.newBuilder(accept(task("t1").build()))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValueBytes(NOT_UTF8)).build();

    assertThat(Wire.notUtf8(deep.toByteArray(), Call.getDescriptor()))
        .isEqualTo("the string field 'accept.operations.launch.task_infos.command.value' is not"
            + " UTF-8");
    assertThat(Wire.notUtf8(id.toByteArray(), Call.getDescriptor()))
        .isEqualTo("the string field 'framework_id.value' is not UTF-8");
  }

  @Test
  void anUnreadableBodySaysSo() {
    byte[] truncated = {0x0a, 0x05, 'f'}; // framework_id: 5 bytes announced, 1 there
    assertThat(Wire.notUtf8(truncated, Call.getDescriptor()))
        .startsWith("unreadable: ");
  }
}
