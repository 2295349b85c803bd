package dev.mesoskit.local;

import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;

/** Agents' attributes as Mesos' {@code --attributes} takes them: {@code name:value;...}. */
final class AgentAttributes {
  private AgentAttributes() {}

  /**
   * Parses attributes; a numeric value is a SCALAR, anything else TEXT.
   *
   * @param text e.g. {@code rack:r1;zone:a}; null or blank for none
   * @return the attributes
   * @throws IllegalArgumentException naming an entry that is not {@code name:value}
   */
  static List<Protos.Attribute> parse(String text) {
    List<Protos.Attribute> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String part : text.split(";")) {
      String p = part.strip();
      int colon = p.indexOf(':');
      if (colon <= 0 || colon == p.length() - 1) {
        throw new IllegalArgumentException(
            "attribute must be 'name:value' but was '" + p + "' in '" + text + "'");
      }
      String name = p.substring(0, colon).strip();
      String value = p.substring(colon + 1).strip();
      Protos.Attribute.Builder a = Protos.Attribute.newBuilder().setName(name);
      if (value.matches("-?[0-9]+(\\.[0-9]+)?")) {
        a.setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(Double.parseDouble(value)));
      } else {
        a.setType(Protos.Value.Type.TEXT).setText(Protos.Value.Text.newBuilder().setValue(value));
      }
      out.add(a.build());
    }
    return out;
  }
}
