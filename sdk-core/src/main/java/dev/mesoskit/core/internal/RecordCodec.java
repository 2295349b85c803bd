package dev.mesoskit.core.internal;

import static java.util.Map.entry;

import dev.mesoskit.core.Ranges;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stores records (task and pod specs) as bytes and rebuilds them through their canonical
 * constructors, so a restarted scheduler gets back equal, freshly validated specs.
 *
 * <p>The format, written with {@link DataOutputStream} (big-endian):
 * <pre>
 * stored = magic:int 0x4D4B5243 ("MKRC"), version:byte 1, value (the root record)
 * value  = tag:byte, payload
 * record = tag RECORD, count:int, count x (component name:string, value)
 * string = length:int, UTF-8 bytes
 * </pre>
 * Payloads by {@link Tag}: NONE (an empty {@code Optional}, or null) has none; BOOLEAN a byte;
 * INT an int; LONG a long; DOUBLE a double; STRING, BYTES, ENUM (the constant's name), DECIMAL
 * and RANGES (their text forms) a length and bytes; DURATION and INSTANT seconds:long,
 * nanos:int; RECORD a count of named fields; SUBTYPE the simple name of a sealed interface's
 * record, then that record's fields; LIST (lists and sets, in iteration order) a count of values;
 * MAP a count of key, value pairs. A present {@code Optional} is written as its value.
 *
 * <p>Fields are tagged by component name and every value by its type, so the record may change:
 * a name the record no longer has is skipped, and a component missing from the bytes becomes
 * empty ({@code Optional}, list, set, map), false or 0; any other missing component fails.
 * Thread-safe; the per-record metadata (components, accessors, canonical constructor) is
 * computed once per class.
 */
final class RecordCodec {
  static final int MAGIC = 0x4D4B5243;
  static final int VERSION = 1;

  /** The type of a stored value; its ordinal is the byte written. Never reorder. */
  private enum Tag {
    NONE, BOOLEAN, INT, LONG, DOUBLE, STRING, BYTES, ENUM, DURATION, INSTANT, DECIMAL, RANGES,
    RECORD, SUBTYPE, LIST, MAP;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Tag[] TAGS = Tag.values();

  private static final Map<Class<?>, Tag> FIXED_TAGS = Map.ofEntries(
      entry(boolean.class, Tag.BOOLEAN), entry(Boolean.class, Tag.BOOLEAN),
      entry(int.class, Tag.INT), entry(Integer.class, Tag.INT),
      entry(long.class, Tag.LONG), entry(Long.class, Tag.LONG),
      entry(double.class, Tag.DOUBLE), entry(Double.class, Tag.DOUBLE),
      entry(String.class, Tag.STRING), entry(byte[].class, Tag.BYTES),
      entry(Duration.class, Tag.DURATION), entry(Instant.class, Tag.INSTANT),
      entry(BigDecimal.class, Tag.DECIMAL), entry(Ranges.class, Tag.RANGES),
      entry(List.class, Tag.LIST), entry(Set.class, Tag.LIST), entry(Map.class, Tag.MAP));

  /** What a component missing from the bytes becomes, by type; others have no default. */
  private static final Map<Class<?>, Object> DEFAULTS = Map.ofEntries(
      entry(Optional.class, Optional.empty()), entry(List.class, List.of()),
      entry(Set.class, Set.of()), entry(Map.class, Map.of()),
      entry(boolean.class, false), entry(Boolean.class, false), entry(int.class, 0),
      entry(Integer.class, 0), entry(long.class, 0L), entry(Long.class, 0L),
      entry(double.class, 0.0), entry(Double.class, 0.0));

  private static final ClassValue<Meta> META = new ClassValue<>() {
    @Override
    protected Meta computeValue(Class<?> type) {
      return new Meta(type);
    }
  };

  private RecordCodec() {}

  /**
   * Writes a record, its nested records and collections.
   *
   * @param record the record to store
   * @return the bytes
   * @throws IllegalArgumentException if a component has a type this codec cannot store
   */
  static byte[] encode(Object record) {
    if (!(record instanceof Record)) {
      throw new IllegalArgumentException("can only store records but was " + record);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeByte(VERSION);
      writeValue(out, record.getClass(), record);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * Rebuilds a record from {@link #encode} bytes through its canonical constructor.
   *
   * @param bytes what {@link #encode} wrote, possibly for another version of the record
   * @param type the record to build
   * @param <T> the record type
   * @return the record
   * @throws IllegalArgumentException if the bytes are corrupt, lack a component without a
   *     default, or no longer pass the record's validation
   */
  static <T extends Record> T decode(byte[] bytes, Class<T> type) {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    try {
      if (bytes.length < 5) {
        throw new IllegalArgumentException(
            "truncated bytes: expected magic and version but found " + bytes.length + " bytes");
      }
      int magic = in.readInt();
      if (magic != MAGIC) {
        throw new IllegalArgumentException(String.format(
            "not a stored record: expected magic 0x%08X but found 0x%08X", MAGIC, magic));
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "unsupported format version " + version + "; expected " + VERSION);
      }
      T value = type.cast(readValue(in, type, type.getSimpleName()));
      if (value == null) {
        throw new IllegalArgumentException(
            "corrupt bytes: expected record for " + type.getSimpleName() + " but found none");
      }
      if (in.available() > 0) {
        throw new IllegalArgumentException("corrupt bytes: " + in.available()
            + " unexpected bytes after the " + type.getSimpleName());
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayInputStream fails only with EOF
    }
  }

  /** A record's components, accessors and canonical constructor. */
  private static final class Meta {
    final String name;
    final String[] names;
    final String[] where;
    final Type[] types;
    final Method[] accessors;
    final Map<String, Integer> index = new HashMap<>();
    final Constructor<?> constructor;

    Meta(Class<?> type) {
      if (!type.isRecord()) {
        throw new IllegalArgumentException("can only store records but was " + type.getName());
      }
      name = type.getSimpleName();
      RecordComponent[] components = type.getRecordComponents();
      names = new String[components.length];
      where = new String[components.length];
      types = new Type[components.length];
      accessors = new Method[components.length];
      Class<?>[] raw = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        names[i] = components[i].getName();
        where[i] = name + "." + names[i];
        types[i] = components[i].getGenericType();
        if (!supported(types[i])) {
          throw new IllegalArgumentException(
              "cannot store " + types[i].getTypeName() + " of " + where[i]);
        }
        accessors[i] = components[i].getAccessor();
        accessors[i].setAccessible(true);
        raw[i] = components[i].getType();
        index.put(names[i], i);
      }
      try {
        constructor = type.getDeclaredConstructor(raw);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("a record always has a canonical constructor", e);
      }
      constructor.setAccessible(true);
    }
  }

  private static boolean supported(Type type) {
    Class<?> raw = raw(type);
    if (raw == Optional.class || raw == List.class || raw == Set.class || raw == Map.class) {
      return type instanceof ParameterizedType p
          && Arrays.stream(p.getActualTypeArguments()).allMatch(RecordCodec::supported);
    }
    return raw != null && tagOf(raw) != null;
  }

  /** The tag a value of this (non-Optional) type is written with; null if unsupported. */
  private static Tag tagOf(Class<?> raw) {
    Tag fixed = FIXED_TAGS.get(raw);
    if (fixed != null) {
      return fixed;
    } else if (raw.isEnum()) {
      return Tag.ENUM;
    } else if (raw.isRecord()) {
      return Tag.RECORD;
    } else if (raw.isSealed() && raw.isInterface()
        && Arrays.stream(raw.getPermittedSubclasses()).allMatch(Class::isRecord)) {
      return Tag.SUBTYPE;
    }
    return null;
  }

  private static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : null;
  }

  private static Type arg(Type type, int i) {
    return ((ParameterizedType) type).getActualTypeArguments()[i];
  }

  private static void writeValue(DataOutputStream out, Type type, Object value)
      throws IOException {
    if (value instanceof Optional<?> o) {
      value = o.orElse(null);
      type = arg(type, 0);
    }
    Tag tag = value == null ? Tag.NONE : tagOf(raw(type));
    out.writeByte(tag.ordinal());
    switch (tag) {
      case NONE -> { }
      case BOOLEAN -> out.writeBoolean((Boolean) value);
      case INT -> out.writeInt((Integer) value);
      case LONG -> out.writeLong((Long) value);
      case DOUBLE -> out.writeDouble((Double) value);
      case STRING, DECIMAL, RANGES -> writeString(out, value.toString());
      case ENUM -> writeString(out, ((Enum<?>) value).name());
      case BYTES -> {
        out.writeInt(((byte[]) value).length);
        out.write((byte[]) value);
      }
      case DURATION -> {
        out.writeLong(((Duration) value).getSeconds());
        out.writeInt(((Duration) value).getNano());
      }
      case INSTANT -> {
        out.writeLong(((Instant) value).getEpochSecond());
        out.writeInt(((Instant) value).getNano());
      }
      case RECORD -> writeFields(out, (Record) value);
      case SUBTYPE -> {
        writeString(out, value.getClass().getSimpleName());
        writeFields(out, (Record) value);
      }
      case LIST -> {
        out.writeInt(((Collection<?>) value).size());
        for (Object element : (Collection<?>) value) {
          writeValue(out, arg(type, 0), element);
        }
      }
      case MAP -> {
        out.writeInt(((Map<?, ?>) value).size());
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
          writeValue(out, arg(type, 0), e.getKey());
          writeValue(out, arg(type, 1), e.getValue());
        }
      }
    }
  }

  private static void writeFields(DataOutputStream out, Record record) throws IOException {
    Meta meta = META.get(record.getClass());
    out.writeInt(meta.names.length);
    for (int i = 0; i < meta.names.length; i++) {
      writeString(out, meta.names[i]);
      try {
        writeValue(out, meta.types[i], meta.accessors[i].invoke(record));
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("cannot read " + meta.where[i], e);
      }
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  /** Reads a value of {@code type}; running out of bytes fails naming {@code where}. */
  private static Object readValue(DataInputStream in, Type type, String where) {
    try {
      Tag tag = readTag(in, where);
      if (raw(type) == Optional.class) {
        return tag == Tag.NONE ? Optional.empty()
            : Optional.of(readPayload(in, tag, arg(type, 0), where));
      }
      return tag == Tag.NONE ? null : readPayload(in, tag, type, where);
    } catch (EOFException e) {
      throw new IllegalArgumentException("truncated bytes: expected the value of " + where, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object readPayload(DataInputStream in, Tag tag, Type type, String where)
      throws IOException {
    Class<?> raw = raw(type);
    Tag wanted = tagOf(raw);
    if (tag != wanted) {
      throw new IllegalArgumentException(
          "corrupt bytes: expected " + wanted + " for " + where + " but found " + tag);
    }
    return switch (tag) {
      case NONE -> null;
      case BOOLEAN -> in.readBoolean();
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case DOUBLE -> in.readDouble();
      case STRING -> readString(in, where);
      case BYTES -> readBytes(in, where);
      case DURATION -> Duration.ofSeconds(in.readLong(), in.readInt());
      case INSTANT -> Instant.ofEpochSecond(in.readLong(), in.readInt());
      case DECIMAL -> new BigDecimal(readString(in, where));
      case RANGES -> Ranges.parse(readString(in, where));
      case RECORD -> readFields(in, raw);
      case ENUM -> {
        String name = readString(in, where);
        yield Arrays.stream(raw.getEnumConstants()).filter(c -> ((Enum<?>) c).name().equals(name))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown constant '"
                + name + "' of " + raw.getSimpleName() + " for " + where));
      }
      case SUBTYPE -> {
        String name = readString(in, where);
        Class<?> sub = Arrays.stream(raw.getPermittedSubclasses())
            .filter(c -> c.getSimpleName().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown subtype '" + name + "' of "
                + raw.getSimpleName() + " for " + where));
        yield readFields(in, sub);
      }
      case LIST -> {
        Class<?> element = raw(arg(type, 0));
        Collection<Object> values = raw == List.class ? new ArrayList<>()
            : element.isEnum() ? EnumSet.noneOf((Class<Enum>) element) : new LinkedHashSet<>();
        for (int n = readCount(in, where); n > 0; n--) {
          values.add(readValue(in, arg(type, 0), where));
        }
        yield values;
      }
      case MAP -> {
        Map<Object, Object> values = new LinkedHashMap<>();
        for (int n = readCount(in, where); n > 0; n--) {
          values.put(readValue(in, arg(type, 0), where), readValue(in, arg(type, 1), where));
        }
        yield values;
      }
    };
  }

  private static Object readFields(DataInputStream in, Class<?> type) throws IOException {
    Meta meta = META.get(type);
    Object[] args = new Object[meta.names.length];
    boolean[] seen = new boolean[args.length];
    for (int n = readCount(in, meta.name); n > 0; n--) {
      String name = readString(in, meta.name);
      Integer i = meta.index.get(name);
      if (i == null) {
        skip(in, meta.name + "." + name);
      } else {
        args[i] = readValue(in, meta.types[i], meta.where[i]);
        seen[i] = true;
      }
    }
    for (int i = 0; i < args.length; i++) {
      Class<?> raw = raw(meta.types[i]);
      if (!seen[i] && !DEFAULTS.containsKey(raw)) {
        throw new IllegalArgumentException("the stored " + meta.name + " has no " + meta.names[i]
            + ", and a missing " + raw.getSimpleName() + " has no default");
      }
      args[i] = seen[i] ? args[i] : DEFAULTS.get(raw);
    }
    try {
      return meta.constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          "cannot rebuild " + meta.name + ": " + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot rebuild " + meta.name + ": " + e, e);
    }
  }

  /** Skips a value of a component the record does not have (any more). */
  private static void skip(DataInputStream in, String where) throws IOException {
    Tag tag = readTag(in, where);
    switch (tag) {
      case NONE -> { }
      case BOOLEAN -> in.skipNBytes(1);
      case INT -> in.skipNBytes(4);
      case LONG, DOUBLE -> in.skipNBytes(8);
      case DURATION, INSTANT -> in.skipNBytes(12);
      case STRING, BYTES, ENUM, DECIMAL, RANGES -> readBytes(in, where);
      case RECORD, SUBTYPE -> {
        if (tag == Tag.SUBTYPE) {
          readBytes(in, where);
        }
        for (int n = readCount(in, where); n > 0; n--) {
          readBytes(in, where);
          skip(in, where);
        }
      }
      case LIST, MAP -> {
        for (long n = readCount(in, where) * (tag == Tag.MAP ? 2L : 1L); n > 0; n--) {
          skip(in, where);
        }
      }
    }
  }

  private static Tag readTag(DataInputStream in, String where) throws IOException {
    int tag = in.readUnsignedByte();
    if (tag >= TAGS.length) {
      throw new IllegalArgumentException(
          "corrupt bytes: expected a type tag for " + where + " but found " + tag);
    }
    return TAGS[tag];
  }

  private static int readCount(DataInputStream in, String where) throws IOException {
    int count = in.readInt();
    if (count < 0) {
      throw new IllegalArgumentException(
          "corrupt bytes: expected a count for " + where + " but found " + count);
    }
    return count;
  }

  private static byte[] readBytes(DataInputStream in, String where) throws IOException {
    int length = readCount(in, where);
    if (length > in.available()) {
      throw new EOFException(); // before allocating a corrupt length
    }
    return in.readNBytes(length);
  }

  private static String readString(DataInputStream in, String where) throws IOException {
    return new String(readBytes(in, where), StandardCharsets.UTF_8);
  }
}
