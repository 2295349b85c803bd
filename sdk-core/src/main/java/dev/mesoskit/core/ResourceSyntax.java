package dev.mesoskit.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits Mesos resource text ({@code name(role):value;...}) into entries. */
final class ResourceSyntax {
  /** A count of any values or items: {@code [any 2]} or {@code {any 2}}. */
  private static final Pattern ANY = Pattern.compile("[\\[{]\\s*any\\s+(\\S+?)\\s*[\\]}]");

  private ResourceSyntax() {}

  /** One {@code name(role):value} entry; {@code role} is null when not written. */
  record Entry(String name, String role, String value) {
    double scalar(String text) {
      try {
        double v = Double.parseDouble(value);
        if (!Double.isFinite(v)) {
          throw new NumberFormatException();
        }
        return v;
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "resource '" + name + "' must be a number but was '" + value + "' in '" + text + "'");
      }
    }

    /**
     * The count of {@code [any N]} or {@code {any N}}, or -1 when the value is not written so.
     */
    long anyCount(String text) {
      Matcher m = ANY.matcher(value);
      if (!m.matches() || (value.charAt(0) == '[') != value.endsWith("]")) {
        return -1;
      }
      long count;
      try {
        count = Long.parseLong(m.group(1));
      } catch (NumberFormatException ex) {
        count = -1;
      }
      if (count < 0) {
        throw new IllegalArgumentException("resource '" + name + "' must ask for any N with N a"
            + " whole number >= 0 but was '" + value + "' in '" + text + "'");
      }
      return count;
    }

    /** The items of a set value {@code {a,b}}. */
    Set<String> items(String text) {
      if (!value.endsWith("}")) {
        throw new IllegalArgumentException(
            "resource '" + name + "' must be a set enclosed in {} but was '" + value + "' in '"
                + text + "'");
      }
      Set<String> items = new HashSet<>();
      for (String item : value.substring(1, value.length() - 1).split(",")) {
        if (!item.isBlank() && !items.add(item.strip())) {
          throw new IllegalArgumentException("resource '" + name + "' has the item '"
              + item.strip() + "' twice in '" + text + "' (Mesos refuses duplicated elements)");
        }
      }
      return items;
    }

    int wholeNumber(String text) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "resource '" + name + "' must be a whole number but was '" + value + "' in '"
                + text + "'");
      }
    }
  }

  static List<Entry> split(String text) {
    List<Entry> entries = new ArrayList<>();
    for (String raw : text.split(";", -1)) {
      String part = raw.strip();
      if (part.isEmpty()) {
        continue;
      }
      int colon = part.indexOf(':');
      if (colon <= 0 || colon == part.length() - 1) {
        throw new IllegalArgumentException(
            "resource must be 'name:value' or 'name(role):value' but was '" + part + "' in '"
                + text + "'");
      }
      String key = part.substring(0, colon).strip();
      String value = part.substring(colon + 1).strip();
      String role = null;
      int open = key.indexOf('(');
      if (open >= 0) {
        if (!key.endsWith(")") || open == 0 || open == key.length() - 2) {
          throw new IllegalArgumentException(
              "resource role must be written 'name(role)' but was '" + key + "' in '" + text + "'");
        }
        role = key.substring(open + 1, key.length() - 1).strip();
        key = key.substring(0, open).strip();
      }
      entries.add(new Entry(key, role, value));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("resources must not be empty but was '" + text + "'");
    }
    return entries;
  }
}
