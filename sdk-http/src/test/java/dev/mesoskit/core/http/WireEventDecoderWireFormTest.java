package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/**
 * {@link WireEventDecoder} on wire forms the generated builders never write (a singular field
 * given twice, an unknown enum number, a field in another wire type, fields out of order, empty
 * and truncated records, nesting at the recursion limit): either no decoding, or the values the
 * parser and {@link V1Conversions} make; and reading fails exactly as the parser fails.
 */
class WireEventDecoderWireFormTest {
  // The fields of the v1 messages below are written by number, as in mesos.proto.
  private static final int EVENT_TYPE = Event.TYPE_FIELD_NUMBER;
  private static final int EVENT_OFFERS = Event.OFFERS_FIELD_NUMBER;
  private static final int EVENT_UPDATE = Event.UPDATE_FIELD_NUMBER;
  private static final int OFFERS = Event.Type.OFFERS_VALUE;
  private static final int HEARTBEAT = Event.Type.HEARTBEAT_VALUE;
  private static final int UPDATE = Event.Type.UPDATE_VALUE;
  private static final int TASK_RUNNING = org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING_VALUE;
  private static final int TASK_FINISHED =
      org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED_VALUE;

  @Test
  void aSingularScalarGivenTwiceKeepsTheLastAsTheParserDoes() {
    byte[] offers = offersEvent(offer(new Wire().string(4, "second-host").raw(
        resource(new Wire().string(1, "nope").string(1, "cpus")
            .varint(2, 0).message(3, new Wire().fixed64(1, 1.0).fixed64(1, 2.5))
            .string(6, "web").string(6, "ops")
            .message(8, new Wire().string(1, "p1").string(1, "p2"))))));
    Offer offer = decodedSame(offers).offers().get(0);
    assertThat(offer.hostname()).isEqualTo("second-host");
    assertThat(offer.resources().toString()).isEqualTo("cpus(ops):2.5");
    assertThat(offer.resources().list().get(0).principal()).contains("p2");

    byte[] update = updateEvent(new Wire().message(1, new Wire().string(1, "t1"))
        .varint(2, TASK_RUNNING).varint(2, TASK_FINISHED)
        .string(4, "one").string(4, "two")
        .varint(8, 1).varint(8, 0)
        .bytes(11, new byte[] {1}).bytes(11, new byte[0])
        .fixed64(6, 1.5).fixed64(6, 2.0));
    TaskStatus status = decodedSame(update).status();
    assertThat(status.state()).isEqualTo(TaskState.FINISHED);
    assertThat(status.message()).contains("two");
    assertThat(status.healthy()).contains(false);
    assertThat(status.uuid().orElseThrow()).isEmpty(); // present though empty: acknowledged
    assertThat(status.timestamp().getEpochSecond()).isEqualTo(2);
  }

  @Test
  void aSingularMessageGivenTwiceIsLeftToTheParserWhichMergesThem() throws Exception {
    List<byte[]> merged = List.of(
        // Update.status: task id from the first, state from the second
        updateEvent(new Wire().message(1, new Wire().string(1, "t1")),
            new Wire().varint(2, TASK_RUNNING)),
        // TaskStatus.agent_id, check_status
        updateEvent(status().message(5, new Wire().string(1, "a1"))
            .message(5, new Wire().string(1, "a2"))),
        updateEvent(status().message(15, new Wire().varint(1, 1))
            .message(15, new Wire().message(2, new Wire().varint(1, 0)))),
        // Event.offers: the offers of both
        concat(offersEvent(offer(new Wire())), offersEvent(offer(new Wire()))),
        // Event.update given twice: the second's status merged into the first's
        concat(updateEvent(status()), updateEvent(new Wire().varint(8, 1))),
        // Resource.scalar, ranges, allocation_info, reservation
        offersEvent(offer(resource(new Wire().string(1, "cpus").varint(2, 0)
            .message(3, new Wire().fixed64(1, 2)).message(3, new Wire())))),
        offersEvent(offer(resource(new Wire().string(1, "ports").varint(2, 1)
            .message(4, range(1, 2)).message(4, range(5, 6))))),
        offersEvent(offer(resource(cpus().message(11, new Wire().string(1, "web"))
            .message(11, new Wire())))),
        offersEvent(offer(resource(cpus().string(6, "web")
            .message(8, new Wire().string(1, "p1")).message(8, new Wire().string(3, "x"))))),
        // Offer.domain, and a fault domain whose halves come in two messages
        offersEvent(offer(new Wire().message(11, faultDomain("eu", "eu-1")).message(11, new Wire()))),
        offersEvent(offer(new Wire().message(11, new Wire()
            .message(1, new Wire().message(1, new Wire().string(1, "eu")))
            .message(1, new Wire().message(2, new Wire().string(1, "eu-1")))))),
        // Attribute.text
        offersEvent(offer(new Wire().message(7, new Wire().string(1, "rack").varint(2, 3)
            .message(5, new Wire().string(1, "r1")).message(5, new Wire().string(1, "r2"))))));
    for (byte[] bytes : merged) {
      assertThat(WireEventDecoder.decode(bytes, 0, bytes.length)).isNull();
      sameAsParser(bytes);
    }
    byte[] twoOffers = merged.get(3);
    assertThat(EventDelivery.read(twoOffers, 0, twoOffers.length).parsed().getOffers()
        .getOffersCount()).isEqualTo(2);
    byte[] domain = merged.get(10);
    assertThat(V1Conversions.offer(Event.parseFrom(domain).getOffers().getOffers(0)).domain())
        .contains(new Offer.Domain("eu", "eu-1"));
  }

  @Test
  void anUnknownEnumNumberIsLeftToTheParserWhichKeepsTheKnownValue() throws Exception {
    List<byte[]> unknown = List.of(
        updateEvent(status().varint(2, 99)), // after RUNNING: the parser keeps RUNNING
        updateEvent(status().varint(10, 9999)),
        updateEvent(status().varint(9, 99)),
        updateEvent(status().varint(9, -1)),
        offersEvent(offer(resource(cpus().varint(2, 7)))),
        offersEvent(offer(resource(cpus().message(8, new Wire().varint(4, 9))))),
        offersEvent(offer(new Wire().message(7, new Wire().string(1, "rack").varint(2, 3)
            .message(5, new Wire().string(1, "r1")).varint(2, 42)))),
        concat(offersEvent(offer(new Wire())), new Wire().varint(EVENT_TYPE, 77).bytes()));
    for (byte[] bytes : unknown) {
      assertThat(WireEventDecoder.decode(bytes, 0, bytes.length)).isNull();
      sameAsParser(bytes);
    }
    byte[] state = unknown.get(0);
    assertThat(EventDelivery.read(state, 0, state.length).parsed().getUpdate().getStatus()
        .getState()).isEqualTo(org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING);
  }

  @Test
  void aKnownFieldInAnotherWireTypeIsAnUnknownFieldToTheParser() {
    List<byte[]> otherWireType = List.of(
        // packed forms of singular varints
        updateEvent(status().packed(8, 1)),
        updateEvent(new Wire().message(1, new Wire().string(1, "t1")).packed(2, TASK_RUNNING)),
        offersEvent(offer(resource(new Wire().string(1, "ports").varint(2, 1)
            .message(4, new Wire().message(1, new Wire().packed(1, 5).varint(2, 6)))))),
        // a double as a varint, a string as a varint
        updateEvent(status().varint(6, 3)),
        offersEvent(offer(new Wire().varint(4, 1))),
        // groups: a whole one (an unknown field), and an end-group tag alone (refused)
        updateEvent(status().tag(4, WireFormat.WIRETYPE_START_GROUP).varint(1, 5)
            .tag(4, WireFormat.WIRETYPE_END_GROUP)),
        offersEvent(offer(resource(cpus().tag(1, WireFormat.WIRETYPE_END_GROUP)))));
    for (byte[] bytes : otherWireType) {
      assertThat(WireEventDecoder.decode(bytes, 0, bytes.length)).isNull();
      sameAsParser(bytes);
    }
    assertThatThrownBy(() -> EventDelivery.read(otherWireType.get(1), 0,
        otherWireType.get(1).length))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("Message missing required fields: update.status.state");
  }

  @Test
  void fieldsInAnyOrderDecodeAsInOrder() {
    Wire id = new Wire().message(1, new Wire().string(1, "o1"));
    Wire fw = new Wire().message(2, new Wire().string(1, "fw"));
    Wire agent = new Wire().message(3, new Wire().string(1, "a1"));
    Wire host = new Wire().string(4, "h1");
    Wire cpus = new Wire().message(5, cpus());
    Wire mem = new Wire().message(5, new Wire().string(1, "mem").varint(2, 0)
        .message(3, new Wire().fixed64(1, 64)));
    Wire rack = new Wire().message(7, new Wire().varint(2, 3).string(1, "rack")
        .message(5, new Wire().string(1, "r1")));
    Wire inOrder = new Wire().raw(id).raw(fw).raw(agent).raw(host).raw(cpus).raw(mem).raw(rack);
    Wire shuffled = new Wire().raw(rack).raw(mem).raw(host).raw(cpus).raw(agent).raw(id).raw(fw);
    byte[] ordered = new Wire().varint(EVENT_TYPE, OFFERS)
        .message(EVENT_OFFERS, new Wire().message(1, inOrder)).bytes();
    byte[] typeLast = new Wire().message(EVENT_OFFERS, new Wire().message(1, shuffled))
        .varint(EVENT_TYPE, OFFERS).bytes();
    Offer a = decodedSame(ordered).offers().get(0);
    Offer b = decodedSame(typeLast).offers().get(0);
    assertThat(b).isEqualTo(a);
    // the resources' order is the order of the message, as the conversion keeps it
    assertThat(a.resources().list().toString()).isEqualTo("[cpus:1, mem:64]");
    assertThat(b.resources().list().toString()).isEqualTo("[mem:64, cpus:1]");
  }

  @Test
  void emptyRecordsAndEmptyMessagesAreReadAsTheParserReadsThem() throws Exception {
    byte[] empty = new byte[0];
    assertThat(WireEventDecoder.decode(empty, 0, 0)).isNull();
    assertThat(EventDelivery.read(empty, 0, 0).parsed()).isEqualTo(Event.getDefaultInstance());

    byte[] noOffers = new Wire().varint(EVENT_TYPE, OFFERS).message(EVENT_OFFERS, new Wire())
        .bytes();
    assertThat(decodedSame(noOffers).offers()).isEmpty();
    byte[] offersWithoutBody = new Wire().varint(EVENT_TYPE, OFFERS).bytes();
    assertThat(WireEventDecoder.decode(offersWithoutBody, 0, offersWithoutBody.length)).isNull();
    sameAsParser(offersWithoutBody);
    byte[] heartbeat = new Wire().varint(EVENT_TYPE, HEARTBEAT).bytes();
    assertThat(decodedSame(heartbeat)).isSameAs(WireEvent.HEARTBEAT);

    byte[] emptyParts = offersEvent(offer(new Wire().message(11, new Wire())
        .message(7, new Wire().string(1, "os").varint(2, 3))
        .message(5, new Wire().string(1, "ports").varint(2, 1))
        .message(5, new Wire().string(1, "zones").varint(2, 2).message(5, new Wire()))
        .message(5, cpus().message(11, new Wire()).message(8, new Wire()))));
    Offer offer = decodedSame(emptyParts).offers().get(0);
    assertThat(offer.domain()).isEmpty();
    assertThat(offer.attributes()).containsExactlyEntriesOf(java.util.Map.of("os", ""));
    assertThat(offer.resources().list().toString()).isEqualTo("[cpus:1]"); // empty ones dropped

    byte[] emptyScalar = offersEvent(offer(resource(new Wire().string(1, "cpus").varint(2, 0)
        .message(3, new Wire()))));
    assertThat(WireEventDecoder.decode(emptyScalar, 0, emptyScalar.length)).isNull();
    assertThatThrownBy(() -> EventDelivery.read(emptyScalar, 0, emptyScalar.length))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("Message missing required fields: offers.offers[0].resources[0].scalar.value");
  }

  @Test
  void aRecordIsReadWithinItsSliceOfTheBuffer() throws Exception {
    byte[] update = updateEvent(status());
    byte[] buffer = new byte[update.length + 20];
    Arrays.fill(buffer, (byte) 0x0a); // what follows the record looks like more fields
    System.arraycopy(update, 0, buffer, 7, update.length);
    WireEvent inSlice = EventDelivery.read(buffer, 7, update.length);
    assertThat(inSlice.status().mesosTaskId()).isEqualTo("t1");
    assertThat(inSlice.sameValues(WireEvent.converted(Event.parseFrom(update)))).isTrue();

    // the update's length claims 10 more bytes than the record holds; the buffer has them
    byte[] longer = update.clone();
    assertThat(longer[2]).isEqualTo((byte) (EVENT_UPDATE << 3 | 2)); // then the update's length
    longer[3] += 10;
    System.arraycopy(longer, 0, buffer, 7, longer.length);
    assertThat(WireEventDecoder.decode(buffer, 7, longer.length)).isNull();
    assertThatThrownBy(() -> EventDelivery.read(buffer, 7, longer.length))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("While parsing a protocol message, the input ended unexpectedly in the"
            + " middle of a field.  This could mean either that the input has been truncated"
            + " or that an embedded message misreported its own length.");
  }

  @Test
  void nestingAtTheRecursionLimitFailsAsTheParserFails() {
    int decoded = 0;
    int refused = 0;
    for (int parents = 94; parents <= 100; parents++) {
      Wire containerId = new Wire().string(1, "c" + parents);
      for (int i = 0; i < parents; i++) {
        containerId = new Wire().string(1, "c" + i).message(2, containerId);
      }
      byte[] bytes = updateEvent(status().message(13, new Wire().message(4, containerId)));
      if (sameAsParser(bytes) != null) {
        decoded++;
      } else {
        refused++;
      }
    }
    assertThat(decoded).isEqualTo(3);
    assertThat(refused).isEqualTo(4);
  }

  @Test
  void aMissingRequiredFieldInsideAMessageReadByItsParserIsRefusedAsBefore() {
    byte[] labelWithoutKey = updateEvent(status().message(12, new Wire()
        .message(1, new Wire().string(2, "v"))));
    assertThat(WireEventDecoder.decode(labelWithoutKey, 0, labelWithoutKey.length)).isNull();
    assertThatThrownBy(() -> EventDelivery.read(labelWithoutKey, 0, labelWithoutKey.length))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessage("Message missing required fields: update.status.labels.labels[0].key");
    byte[] unknownInLabels = updateEvent(status().message(12, new Wire()
        .message(1, new Wire().string(1, "k")).varint(99, 1)));
    assertThat(decodedSame(unknownInLabels).status().mesosTaskId()).isEqualTo("t1");
  }

  @Test
  void stringsThatAreNoUtf8ReadAsTheParserReadsThem() {
    byte[] bad = {(byte) 0xff, 'h', (byte) 0xc3};
    byte[] offers = offersEvent(offer(new Wire().bytes(4, bad)
        .raw(resource(new Wire().bytes(1, bad).varint(2, 0).message(3, new Wire().fixed64(1, 1))
            .bytes(6, bad)))));
    assertThat(decodedSame(offers).offers().get(0).hostname()).isEqualTo("\uFFFDh\uFFFD");
    byte[] update = updateEvent(new Wire().message(1, new Wire().bytes(1, bad))
        .varint(2, TASK_RUNNING).bytes(4, bad));
    assertThat(decodedSame(update).status().message()).contains("\uFFFDh\uFFFD");
  }

  @Test
  void theCrossCheckSeesResourcesInAnotherOrder() {
    Offer a = new Offer("o1", "a1", "h1", Resources.of(Resource.scalar("cpus", 1),
        Resource.scalar("mem", 64)), Map.of(), Set.of(), Optional.empty());
    Offer b = new Offer("o1", "a1", "h1", Resources.of(Resource.scalar("mem", 64),
        Resource.scalar("cpus", 1)), Map.of(), Set.of(), Optional.empty());
    assertThat(a).isEqualTo(b); // Resources.equals ignores the order
    assertThat(WireEvent.offers(List.of(a)).sameValues(WireEvent.offers(List.of(b)))).isFalse();
    assertThat(WireEvent.offers(List.of(a)).sameValues(WireEvent.offers(List.of(a)))).isTrue();
  }

  @Test
  void randomEventsRewrittenAtTheWireLevelDecodeAsTheParserReadsThem() throws Exception {
    Random random = new Random(29);
    int decoded = 0;
    int left = 0;
    for (int i = 0; i < 3_000; i++) {
      Event event = i % 2 == 0 ? WireEventDecoderTest.offersEvent(random)
          : WireEventDecoderTest.updateEvent(random);
      byte[] bytes = concatAll(rewrite(Event.getDescriptor(), event.toByteArray(), random));
      if (sameAsParser(bytes) != null) {
        decoded++;
      } else {
        left++;
      }
    }
    // Most rewrites only reorder fields or repeat a scalar; the rest are left to the parser.
    assertThat(decoded).isGreaterThan(1_000);
    assertThat(left).isGreaterThan(300);
  }

  /**
   * The fields of a message of {@code type}, each as its wire bytes, rewritten as protobuf reads
   * them the same or differently: in another order, a singular scalar given twice (the last
   * kept), a singular message in two parts (merged), an enum number no Mesos version has, a
   * varint in packed form.
   */
  private static List<byte[]> rewrite(Descriptors.Descriptor type, byte[] message, Random r)
      throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    List<byte[]> fields = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int number = WireFormat.getTagFieldNumber(tag);
      Descriptors.FieldDescriptor field = type.findFieldByNumber(number);
      boolean singular = field != null && !field.isRepeated();
      switch (WireFormat.getTagWireType(tag)) {
        case WireFormat.WIRETYPE_VARINT -> {
          long value = in.readInt64();
          if (singular && r.nextInt(30) == 0) {
            fields.add(new Wire().varint(number, value ^ 1).bytes()); // the last one wins
          }
          if (field != null && field.getJavaType() == Descriptors.FieldDescriptor.JavaType.ENUM
              && r.nextInt(60) == 0) {
            fields.add(new Wire().varint(number, 1000 + r.nextInt(3)).bytes());
          }
          fields.add(r.nextInt(200) == 0 ? new Wire().packed(number, value).bytes()
              : new Wire().varint(number, value).bytes());
        }
        case WireFormat.WIRETYPE_FIXED64 -> {
          double value = Double.longBitsToDouble(in.readRawLittleEndian64());
          if (singular && r.nextInt(30) == 0) {
            fields.add(new Wire().fixed64(number, value + 1).bytes());
          }
          fields.add(new Wire().fixed64(number, value).bytes());
        }
        case WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
          byte[] value = in.readByteArray();
          if (field != null
              && field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE) {
            List<byte[]> inner = rewrite(field.getMessageType(), value, r);
            if (singular && inner.size() > 1 && r.nextInt(15) == 0) {
              int cut = 1 + r.nextInt(inner.size() - 1);
              fields.add(new Wire().bytes(number, concatAll(inner.subList(0, cut))).bytes());
              fields.add(new Wire().bytes(number, concatAll(inner.subList(cut, inner.size())))
                  .bytes());
            } else {
              fields.add(new Wire().bytes(number, concatAll(inner)).bytes());
            }
          } else {
            if (singular && r.nextInt(30) == 0) {
              fields.add(new Wire().string(number, "earlier").bytes());
            }
            fields.add(new Wire().bytes(number, value).bytes());
          }
        }
        default -> throw new AssertionError("wire type of tag " + tag);
      }
    }
    if (r.nextInt(3) == 0) {
      Collections.shuffle(fields, r);
    }
    return fields;
  }

  private static byte[] concatAll(List<byte[]> parts) {
    byte[] all = new byte[0];
    for (byte[] part : parts) {
      all = concat(all, part);
    }
    return all;
  }

  // ------------------------------------------------------------------ checks

  /** Decodes {@code bytes}, which the decoder must decode, checking it against the parser. */
  private static WireEvent decodedSame(byte[] bytes) {
    WireEvent decoded = sameAsParser(bytes);
    assertThat(decoded).as("decoded").isNotNull();
    return decoded;
  }

  /**
   * Checks the decoder against the parser and the conversion: the parser refuses the bytes and
   * the decoder decodes nothing, reading failing with the parser's message; or the decoder
   * decodes nothing; or it decodes what the conversion makes, offer for offer, resource for
   * resource in the same order. Returns what the decoder decoded.
   */
  private static WireEvent sameAsParser(byte[] bytes) {
    WireEvent decoded = WireEventDecoder.decode(bytes, 0, bytes.length);
    Event parsed;
    try {
      parsed = Event.parser().parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      assertThat(decoded).as("decoded what the parser refuses: %s", e.getMessage()).isNull();
      assertThatThrownBy(() -> EventDelivery.read(bytes, 0, bytes.length))
          .isInstanceOf(InvalidProtocolBufferException.class)
          .hasMessage(e.getMessage());
      return null;
    }
    if (decoded != null) {
      WireEvent converted = WireEvent.converted(parsed);
      assertThat(decoded.sameValues(converted)).as("decoded %s%nconverted %s", decoded,
          converted).isTrue();
      if (decoded.offers() != null) {
        for (int i = 0; i < decoded.offers().size(); i++) {
          assertThat(decoded.offers().get(i).resources().list())
              .isEqualTo(converted.offers().get(i).resources().list());
        }
      }
    }
    try {
      EventDelivery.read(bytes, 0, bytes.length); // with assertions on, cross-checks again
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    return decoded;
  }

  // ------------------------------------------------------------------ wire forms

  private static byte[] offersEvent(Wire offer) {
    return new Wire().varint(EVENT_TYPE, OFFERS)
        .message(EVENT_OFFERS, new Wire().message(1, offer)).bytes();
  }

  /** An offer with id, framework, agent and hostname, then {@code rest}. */
  private static Wire offer(Wire rest) {
    return new Wire().message(1, new Wire().string(1, "o1"))
        .message(2, new Wire().string(1, "fw"))
        .message(3, new Wire().string(1, "a1"))
        .string(4, "h1")
        .raw(rest);
  }

  /** {@code rest} as an offer's resource. */
  private static Wire resource(Wire resource) {
    return new Wire().message(5, resource);
  }

  private static Wire cpus() {
    return new Wire().string(1, "cpus").varint(2, 0).message(3, new Wire().fixed64(1, 1.0));
  }

  private static Wire range(long begin, long end) {
    return new Wire().message(1, new Wire().varint(1, begin).varint(2, end));
  }

  private static Wire faultDomain(String region, String zone) {
    return new Wire().message(1, new Wire()
        .message(1, new Wire().string(1, region))
        .message(2, new Wire().string(1, zone)));
  }

  /** A status with task id {@code t1}, state RUNNING. */
  private static Wire status() {
    return new Wire().message(1, new Wire().string(1, "t1")).varint(2, TASK_RUNNING);
  }

  /** An UPDATE event whose status is the given parts, each its own {@code status} field. */
  private static byte[] updateEvent(Wire... statusParts) {
    Wire update = new Wire();
    for (Wire part : statusParts) {
      update.message(1, part);
    }
    return new Wire().varint(EVENT_TYPE, UPDATE).message(EVENT_UPDATE, update).bytes();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** Protobuf wire bytes written field by field, in any order, any number of times. */
  private static final class Wire {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Wire varint(int field, long value) {
      return write(() -> out.writeInt64(field, value));
    }

    Wire fixed64(int field, double value) {
      return write(() -> out.writeDouble(field, value));
    }

    Wire string(int field, String value) {
      return write(() -> out.writeString(field, value));
    }

    Wire bytes(int field, byte[] value) {
      return write(() -> out.writeByteArray(field, value));
    }

    Wire message(int field, Wire message) {
      return bytes(field, message.bytes());
    }

    /** A field of varints in packed form: length-delimited. */
    Wire packed(int field, long... values) {
      Wire body = new Wire();
      for (long v : values) {
        body.write(() -> body.out.writeInt64NoTag(v));
      }
      byte[] b = body.bytes();
      return write(() -> {
        out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(b.length);
        out.writeRawBytes(b);
      });
    }

    /** A tag alone, of any wire type. */
    Wire tag(int field, int wireType) {
      return write(() -> out.writeTag(field, wireType));
    }

    Wire raw(Wire other) {
      byte[] b = other.bytes();
      return write(() -> out.writeRawBytes(b));
    }

    byte[] bytes() {
      write(out::flush);
      return bytes.toByteArray();
    }

    private interface Write {
      void run() throws IOException;
    }

    private Wire write(Write write) {
      try {
        write.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }
  }
}
