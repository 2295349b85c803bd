package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.TaskState;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/**
 * {@link WireEventDecoder} against the generated parser and {@link V1Conversions}: the same values
 * for every event it decodes, and no decoding (so the parser decides) for anything else.
 */
class WireEventDecoderTest {
  private static final String[] NAMES = {"cpus", "mem", "disk", "ports", "gpus", "zones"};
  private static final String[] ROLES = {"*", "web", "web/blue", "", "ops"};

  @Test
  void decodesRandomOffersAndUpdatesToTheValuesTheConversionMakes() {
    Random random = new Random(23);
    int decoded = 0;
    for (int i = 0; i < 3_000; i++) {
      Event event = i % 2 == 0 ? offersEvent(random) : updateEvent(random);
      if (sameOutcome(event.toByteArray(), true)) {
        decoded++;
      }
    }
    // Events whose conversion throws (a blank resource name, ...) are left to the parser.
    assertThat(decoded).isGreaterThan(2_700);
  }

  @Test
  void decodesTheBenchmarksAndTheFakeMastersEvents() {
    Event heartbeat = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
    Event offer = Event.newBuilder().setType(Event.Type.OFFERS).setOffers(Event.Offers.newBuilder()
        .addOffers(Protos.Offer.newBuilder()
            .setId(Protos.OfferID.newBuilder().setValue("o1"))
            .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw"))
            .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
            .setHostname("h1")
            .addAllResources(V1Conversions.resources(
                dev.mesoskit.core.Resources.parse("cpus:2;mem:1024;ports:[31000-31010]")))))
        .build();
    Event update = Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update
        .newBuilder().setStatus(Protos.TaskStatus.newBuilder()
            .setTaskId(Protos.TaskID.newBuilder().setValue("t1"))
            .setState(Protos.TaskState.TASK_RUNNING)
            .setUuid(ByteString.copyFromUtf8("0123456789abcdef"))
            .setTimestamp(1.7e9))).build();
    for (Event e : List.of(heartbeat, offer, update)) {
      assertThat(sameOutcome(e.toByteArray(), true)).as("%s", e).isTrue();
    }
    WireEvent status = WireEventDecoder.decode(update.toByteArray(), 0, update.getSerializedSize());
    assertThat(status.status().state()).isEqualTo(TaskState.RUNNING);
    assertThat(status.status().uuid().orElseThrow())
        .isEqualTo("0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Offer decodedOffer = WireEventDecoder.decode(offer.toByteArray(), 0,
        offer.getSerializedSize()).offers().get(0);
    assertThat(decodedOffer.resources().toString()).isEqualTo(
        dev.mesoskit.core.Resources.parse("cpus:2;mem:1024;ports:[31000-31010]").toString());
  }

  @Test
  void leavesAnEventWithAFieldItDoesNotMapToTheParser() throws Exception {
    UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7).build()).build();
    Event offers = offersEvent(new Random(1));
    Event withUnknownInOffer = offers.toBuilder().setOffers(offers.getOffers().toBuilder()
        .setOffers(0, offers.getOffers().getOffers(0).toBuilder().setUnknownFields(unknown)))
        .build();
    Event update = updateEvent(new Random(2));
    Event withUnknownInStatus = update.toBuilder().setUpdate(update.getUpdate().toBuilder()
        .setStatus(update.getUpdate().getStatus().toBuilder().setUnknownFields(unknown)))
        .build();
    Event subscribed = Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder()
            .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw"))).build();
    Event offersTypedAsUpdate = offers.toBuilder().setType(Event.Type.UPDATE).build();
    Event rescind = Event.newBuilder().setType(Event.Type.RESCIND).setRescind(Event.Rescind
        .newBuilder().setOfferId(Protos.OfferID.newBuilder().setValue("o1"))).build();
    for (Event e : List.of(withUnknownInOffer, withUnknownInStatus, subscribed,
        offersTypedAsUpdate, rescind)) {
      byte[] bytes = e.toByteArray();
      assertThat(WireEventDecoder.decode(bytes, 0, bytes.length)).as("%s", e).isNull();
      WireEvent read = EventDelivery.read(bytes, 0, bytes.length);
      assertThat(read.parsed()).isEqualTo(e);
    }
  }

  @Test
  void leavesAMissingRequiredFieldToTheParserWhichRefusesIt() {
    Event update = updateEvent(new Random(3));
    byte[] bytes = update.toBuilder().setUpdate(Event.Update.newBuilder()
        .setStatus(update.getUpdate().getStatus().toBuilder().clearState().buildPartial())
        .buildPartial()).buildPartial().toByteArray();
    assertThat(WireEventDecoder.decode(bytes, 0, bytes.length)).isNull();
    assertThatThrownBy(() -> EventDelivery.read(bytes, 0, bytes.length))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("Message missing required fields: update.status.state");
  }

  @Test
  void malformedBytesFailAsTheParserMakesThemFail() {
    Random random = new Random(5);
    for (int i = 0; i < 2_000; i++) {
      byte[] bytes = (i % 2 == 0 ? offersEvent(random) : updateEvent(random)).toByteArray();
      byte[] bad = bytes.clone();
      switch (i % 3) {
        case 0 -> bad = Arrays.copyOf(bytes, random.nextInt(bytes.length)); // truncated
        case 1 -> bad[random.nextInt(bad.length)] = (byte) random.nextInt(256); // one byte
        default -> { // a few bytes
          for (int k = 0; k < 4; k++) {
            bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
          }
        }
      }
      sameOutcome(bad, false);
    }
  }

  /**
   * Whether the decoder decoded {@code bytes}; asserts that it did exactly when the parser and
   * the conversion succeed (when {@code mapped}: the event holds only fields it maps; otherwise
   * it may leave a valid event to the parser), with the same values, and that reading through
   * {@link EventDelivery#read} fails as the parser fails.
   */
  private static boolean sameOutcome(byte[] bytes, boolean mapped) {
    WireEvent fast = WireEventDecoder.decode(bytes, 0, bytes.length);
    Event parsed;
    try {
      parsed = Event.parser().parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      assertThat(fast).as("decoded what the parser refuses: %s", e.getMessage()).isNull();
      assertThatThrownBy(() -> EventDelivery.read(bytes, 0, bytes.length))
          .isInstanceOf(InvalidProtocolBufferException.class)
          .hasMessage(e.getMessage());
      return false;
    }
    WireEvent converted;
    try {
      converted = switch (parsed.getType()) {
        case OFFERS, UPDATE, HEARTBEAT -> WireEvent.converted(parsed);
        default -> null;
      };
    } catch (RuntimeException e) {
      assertThat(fast).as("decoded what the conversion refuses: %s", e).isNull();
      return false;
    }
    if (converted == null || parsed.getUnknownFields().asMap().size() > 0) {
      assertThat(fast).isNull();
      return false;
    }
    if (fast == null) {
      assertThat(mapped).as("left a valid event to the parser: %s", parsed).isFalse();
      return false; // a field it does not map, e.g. an unknown enum number a byte flip made
    }
    assertThat(fast.sameValues(converted)).as("decoded %s%nconverted %s", fast, converted)
        .isTrue();
    return true;
  }

  // ------------------------------------------------------------------ random events

  static Event offersEvent(Random r) {
    Event.Offers.Builder offers = Event.Offers.newBuilder();
    for (int i = 0, n = r.nextInt(3); i <= n; i++) {
      offers.addOffers(offer(r));
    }
    return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(offers).build();
  }

  private static Protos.Offer offer(Random r) {
    Protos.Offer.Builder b = Protos.Offer.newBuilder()
        .setId(Protos.OfferID.newBuilder().setValue("offer-" + r.nextInt(1000)))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-" + r.nextInt(9)))
        .setHostname(r.nextInt(10) == 0 ? "h\u00e9te-\uD83D\uDE00" : "host-" + r.nextInt(9));
    for (int i = 0, n = r.nextInt(7); i < n; i++) {
      b.addResources(resource(r));
    }
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      Protos.Attribute.Builder a = Protos.Attribute.newBuilder()
          .setName(new String[] {"rack", "zone", "gpu", "os"}[r.nextInt(4)]);
      Protos.Value.Type type = Protos.Value.Type.forNumber(r.nextInt(4));
      a.setType(type);
      switch (type) {
        case SCALAR -> a.setScalar(scalar(r));
        case RANGES -> a.setRanges(ranges(r));
        case SET -> a.setSet(set(r));
        default -> a.setText(Protos.Value.Text.newBuilder().setValue("t" + r.nextInt(5)));
      }
      if (r.nextInt(8) == 0) {
        a.setText(Protos.Value.Text.newBuilder().setValue("extra")); // a value of another type
      }
      b.addAttributes(a);
    }
    for (int i = 0, n = r.nextInt(3); i < n; i++) {
      b.addExecutorIds(Protos.ExecutorID.newBuilder().setValue("exec-" + r.nextInt(3)));
    }
    if (r.nextBoolean()) {
      Protos.DomainInfo.Builder d = Protos.DomainInfo.newBuilder();
      if (r.nextInt(4) > 0) {
        d.setFaultDomain(Protos.DomainInfo.FaultDomain.newBuilder()
            .setRegion(Protos.DomainInfo.FaultDomain.RegionInfo.newBuilder().setName("eu"))
            .setZone(Protos.DomainInfo.FaultDomain.ZoneInfo.newBuilder()
                .setName("eu-" + r.nextInt(3))));
      }
      b.setDomain(d);
    }
    if (r.nextInt(4) == 0) {
      b.setUrl(Protos.URL.newBuilder().setScheme("http").setPath("/slave(1)")
          .setAddress(Protos.Address.newBuilder().setHostname("h").setIp("10.0.0.1")
              .setPort(5051)));
    }
    if (r.nextInt(4) == 0) {
      b.setUnavailability(Protos.Unavailability.newBuilder()
          .setStart(Protos.TimeInfo.newBuilder().setNanoseconds(r.nextLong()))
          .setDuration(Protos.DurationInfo.newBuilder().setNanoseconds(3_600_000_000_000L)));
    }
    if (r.nextBoolean()) {
      b.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole("web"));
    }
    return b.build();
  }

  @SuppressWarnings("deprecation") // Resource.role and reservation: the legacy form, still sent
  private static Protos.Resource resource(Random r) {
    Protos.Value.Type type = Protos.Value.Type.forNumber(r.nextInt(10) == 0 ? 3 : r.nextInt(3));
    Protos.Resource.Builder b = Protos.Resource.newBuilder()
        .setName(r.nextInt(50) == 0 ? "" : NAMES[r.nextInt(NAMES.length)]).setType(type);
    switch (type) {
      case SCALAR -> {
        if (r.nextInt(10) > 0) {
          b.setScalar(scalar(r));
        }
      }
      case RANGES -> {
        if (r.nextInt(10) > 0) {
          b.setRanges(ranges(r));
        }
      }
      case SET -> b.setSet(set(r));
      default -> { }
    }
    if (r.nextInt(10) == 0) {
      b.setScalar(scalar(r)); // a value of another type, as the conversion ignores it
    }
    if (r.nextInt(3) == 0) {
      b.setRole(ROLES[r.nextInt(ROLES.length)]);
    }
    if (r.nextInt(4) == 0) {
      b.setReservation(reservation(r));
    }
    for (int i = 0, n = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0; i < n; i++) {
      b.addReservations(reservation(r)); // refined reservations
    }
    if (r.nextInt(3) == 0) {
      Protos.Resource.AllocationInfo.Builder a = Protos.Resource.AllocationInfo.newBuilder();
      if (r.nextBoolean()) {
        a.setRole(ROLES[r.nextInt(ROLES.length)]);
      }
      b.setAllocationInfo(a);
    }
    switch (r.nextInt(16)) {
      case 0 -> b.setDisk(Protos.Resource.DiskInfo.newBuilder()
          .setPersistence(Protos.Resource.DiskInfo.Persistence.newBuilder().setId("p1"))
          .setVolume(Protos.Volume.newBuilder().setContainerPath("data")
              .setMode(Protos.Volume.Mode.RW)));
      case 1 -> b.setRevocable(Protos.Resource.RevocableInfo.getDefaultInstance());
      case 2 -> b.setShared(Protos.Resource.SharedInfo.getDefaultInstance());
      case 3 -> b.setProviderId(Protos.ResourceProviderID.newBuilder().setValue("rp"));
      default -> { }
    }
    return b.build();
  }

  private static Protos.Resource.ReservationInfo reservation(Random r) {
    Protos.Resource.ReservationInfo.Builder b = Protos.Resource.ReservationInfo.newBuilder();
    if (r.nextBoolean()) {
      b.setType(r.nextBoolean() ? Protos.Resource.ReservationInfo.Type.DYNAMIC
          : Protos.Resource.ReservationInfo.Type.STATIC);
    }
    if (r.nextInt(4) > 0) {
      b.setRole(ROLES[r.nextInt(ROLES.length)]);
    }
    if (r.nextBoolean()) {
      b.setPrincipal("p" + r.nextInt(3));
    }
    if (r.nextInt(4) == 0) {
      b.setLabels(labels(r));
    }
    return b.build();
  }

  private static Protos.Labels labels(Random r) {
    Protos.Labels.Builder b = Protos.Labels.newBuilder();
    for (int i = 0, n = 1 + r.nextInt(2); i < n; i++) {
      Protos.Label.Builder l = Protos.Label.newBuilder().setKey("k" + i);
      if (r.nextBoolean()) {
        l.setValue("v" + r.nextInt(9));
      }
      b.addLabels(l);
    }
    return b.build();
  }

  private static Protos.Value.Scalar scalar(Random r) {
    double[] odd = {-1.5, 0, -0.0, 1e-9, 0.1 + 0.2, 1e300, Double.MIN_VALUE};
    return Protos.Value.Scalar.newBuilder()
        .setValue(r.nextInt(4) == 0 ? odd[r.nextInt(odd.length)] : r.nextInt(64000) / 8.0)
        .build();
  }

  private static Protos.Value.Ranges ranges(Random r) {
    Protos.Value.Ranges.Builder b = Protos.Value.Ranges.newBuilder();
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      long begin = r.nextInt(12) == 0 ? -5 : 31000 + r.nextInt(100);
      long end = r.nextInt(12) == 0 ? begin - 1 : begin + r.nextInt(20);
      b.addRange(Protos.Value.Range.newBuilder().setBegin(begin).setEnd(end));
    }
    return b.build();
  }

  private static Protos.Value.Set set(Random r) {
    Protos.Value.Set.Builder b = Protos.Value.Set.newBuilder();
    for (int i = 0, n = r.nextInt(4); i < n; i++) {
      b.addItem("i" + r.nextInt(4));
    }
    return b.build();
  }

  static Event updateEvent(Random r) {
    Protos.TaskState[] states = Protos.TaskState.values();
    Protos.TaskStatus.Builder s = Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("task-" + r.nextInt(100)))
        .setState(states[r.nextInt(states.length)]);
    if (r.nextBoolean()) {
      s.setMessage(r.nextInt(8) == 0 ? "" : "progress " + r.nextInt(100));
    }
    if (r.nextBoolean()) {
      Protos.TaskStatus.Reason[] reasons = Protos.TaskStatus.Reason.values();
      s.setReason(reasons[r.nextInt(reasons.length)]);
    }
    if (r.nextBoolean()) {
      Protos.TaskStatus.Source[] sources = Protos.TaskStatus.Source.values();
      s.setSource(sources[r.nextInt(sources.length)]);
    }
    if (r.nextBoolean()) {
      s.setAgentId(Protos.AgentID.newBuilder().setValue("agent-" + r.nextInt(9)));
    }
    if (r.nextBoolean()) {
      s.setExecutorId(Protos.ExecutorID.newBuilder().setValue("exec-" + r.nextInt(9)));
    }
    if (r.nextBoolean()) {
      byte[] uuid = new byte[16];
      r.nextBytes(uuid);
      s.setUuid(ByteString.copyFrom(uuid));
    }
    if (r.nextBoolean()) {
      double[] odd = {0, -1.25, 1.7e9 + 0.123456789, 1e20, Double.NaN};
      s.setTimestamp(r.nextInt(3) == 0 ? odd[r.nextInt(odd.length)] : 1.7e9 + r.nextDouble());
    }
    if (r.nextInt(3) == 0) {
      byte[] data = new byte[r.nextInt(40)];
      r.nextBytes(data);
      s.setData(ByteString.copyFrom(data));
    }
    if (r.nextInt(3) == 0) {
      s.setHealthy(r.nextBoolean());
    }
    if (r.nextInt(3) == 0) {
      s.setCheckStatus(checkStatus(r));
    }
    if (r.nextInt(4) == 0) {
      s.setLabels(labels(r));
    }
    if (r.nextInt(3) == 0) {
      s.setContainerStatus(Protos.ContainerStatus.newBuilder()
          .setContainerId(Protos.ContainerID.newBuilder().setValue("c1")
              .setParent(Protos.ContainerID.newBuilder().setValue("c0")))
          .addNetworkInfos(Protos.NetworkInfo.newBuilder().addIpAddresses(
              Protos.NetworkInfo.IPAddress.newBuilder().setIpAddress("10.0.0." + r.nextInt(9))))
          .setExecutorPid(r.nextInt(40000)));
    }
    if (r.nextInt(6) == 0) {
      s.setUnreachableTime(Protos.TimeInfo.newBuilder().setNanoseconds(r.nextLong()));
    }
    if (r.nextInt(6) == 0) {
      s.setLimitation(Protos.TaskResourceLimitation.newBuilder().addResources(resource(r)));
    }
    return Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(s)).build();
  }

  private static Protos.CheckStatusInfo checkStatus(Random r) {
    Protos.CheckStatusInfo.Builder b = Protos.CheckStatusInfo.newBuilder();
    switch (r.nextInt(4)) {
      case 0 -> {
        Protos.CheckStatusInfo.Command.Builder c = Protos.CheckStatusInfo.Command.newBuilder();
        if (r.nextBoolean()) {
          c.setExitCode(r.nextInt(3) - 1);
        }
        b.setType(Protos.CheckInfo.Type.COMMAND).setCommand(c);
      }
      case 1 -> {
        Protos.CheckStatusInfo.Http.Builder h = Protos.CheckStatusInfo.Http.newBuilder();
        if (r.nextBoolean()) {
          h.setStatusCode(200 + r.nextInt(400));
        }
        b.setType(Protos.CheckInfo.Type.HTTP).setHttp(h);
      }
      case 2 -> {
        Protos.CheckStatusInfo.Tcp.Builder t = Protos.CheckStatusInfo.Tcp.newBuilder();
        if (r.nextBoolean()) {
          t.setSucceeded(r.nextBoolean());
        }
        b.setType(Protos.CheckInfo.Type.TCP).setTcp(t);
      }
      default -> { }
    }
    return b.build();
  }
}
