package dev.mesoskit.local;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Executor authentication as a Mesos agent does it with {@code --authenticate_http_executors}:
 * each executor gets a JSON Web Token signed with the agent's secret (HS256) whose claims are its
 * framework, executor and container ids ({@code fid}, {@code eid}, {@code cid}), in the
 * environment variable {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}; every call to the executor API
 * must carry it as {@code Authorization: Bearer <token>}.
 *
 * <p>A request without a valid token is answered 401 with a {@code WWW-Authenticate} challenge of
 * realm {@code mesos-agent-executor}, in libprocess' words; a valid token whose claims are not
 * the caller's framework, executor and current container is answered 403 by the agent (see
 * {@link #claimsMismatch}). The secret is random per agent and never leaves it.
 */
final class ExecutorTokens {
  /** The realm of Mesos' executor authenticator. */
  static final String REALM = "mesos-agent-executor";

  private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] secret;

  /** Tokens signed with a fresh random secret. */
  ExecutorTokens() {
    this(randomSecret());
  }

  ExecutorTokens(byte[] secret) {
    this.secret = secret.clone();
  }

  private static byte[] randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  /**
   * A token for one executor container.
   *
   * @param frameworkId the framework id
   * @param executorId the executor id
   * @param containerId the container id
   * @return the compact JWT
   */
  String issue(String frameworkId, String executorId, String containerId) {
    JsonObject claims = new JsonObject();
    claims.addProperty("cid", containerId);
    claims.addProperty("eid", executorId);
    claims.addProperty("fid", frameworkId);
    String signed = ENCODER.encodeToString(HEADER.getBytes(StandardCharsets.UTF_8)) + "."
        + ENCODER.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    return signed + "." + ENCODER.encodeToString(hmac(signed));
  }

  /** What authenticating a request found: its claims, or the 401 challenge to answer. */
  record Outcome(Map<String, String> claims, String challenge) {
    boolean authenticated() {
      return claims != null;
    }
  }

  /**
   * Authenticates a request by its {@code Authorization} header, as libprocess' JWT
   * authenticator: no header gives a bare challenge; a malformed header, another scheme, a bad
   * token or a token without claims give a challenge saying why.
   *
   * @param authorization the header, or null
   * @return the claims, or the {@code WWW-Authenticate} value of a 401
   */
  Outcome authenticate(String authorization) {
    String realm = "Bearer realm=\"" + REALM + "\"";
    if (authorization == null) {
      return new Outcome(null, realm);
    }
    String[] parts = authorization.split(" ", -1);
    if (parts.length != 2) {
      return invalid(realm, "Malformed 'Authorization' header");
    }
    if (!parts[0].equals("Bearer")) {
      return invalid(realm, "Scheme '" + parts[0] + "' unsupported");
    }
    String problem;
    Map<String, String> claims = new TreeMap<>();
    try {
      problem = parse(parts[1], claims);
    } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
      problem = "Failed to parse token: " + e.getMessage();
    }
    if (problem != null) {
      return invalid(realm, "Invalid JWT: " + problem);
    }
    if (claims.isEmpty()) {
      return invalid(realm, "JWT claims missing");
    }
    return new Outcome(claims, null);
  }

  private static Outcome invalid(String realm, String description) {
    return new Outcome(null, realm + ", error=\"invalid_token\", error_description=\""
        + description + "\"");
  }

  /** Checks a token; fills the claims and answers null, or answers what is wrong. */
  private String parse(String token, Map<String, String> claims) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return "Expected 3 components in token, got " + parts.length;
    }
    String headerText = new String(DECODER.decode(parts[0]), StandardCharsets.UTF_8);
    String payloadText = new String(DECODER.decode(parts[1]), StandardCharsets.UTF_8);
    if (Wire.deeperThan(headerText, Wire.MAX_JSON_DEPTH)
        || Wire.deeperThan(payloadText, Wire.MAX_JSON_DEPTH)) {
      return "Failed to parse token: nesting deeper than " + Wire.MAX_JSON_DEPTH + " levels";
    }
    JsonObject header = JsonParser.parseString(headerText).getAsJsonObject();
    JsonElement alg = header.get("alg");
    if (alg == null || !alg.isJsonPrimitive() || !"HS256".equals(alg.getAsString())) {
      return "Token 'alg' value " + alg + " does not match, expected \"HS256\"";
    }
    if (header.has("crit")) {
      return "Token 'crit' field is unsupported";
    }
    JsonObject payload = JsonParser.parseString(payloadText).getAsJsonObject();
    byte[] signature = DECODER.decode(parts[2]);
    if (!MessageDigest.isEqual(hmac(parts[0] + "." + parts[1]), signature)) {
      return "Token signature does not match";
    }
    for (Map.Entry<String, JsonElement> claim : payload.entrySet()) {
      JsonElement value = claim.getValue();
      claims.put(claim.getKey(), value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
          ? value.getAsString() : value.toString());
    }
    return null;
  }

  /**
   * Mesos' {@code verifyExecutorClaims}: the 403 message when the authenticated claims are not
   * those of the call's framework, executor and the executor's current container.
   *
   * @param claims the token's claims
   * @param frameworkId the call's framework id
   * @param executorId the call's executor id
   * @param containerId the executor's current container
   * @return the message, or null when the claims match
   */
  static String claimsMismatch(Map<String, String> claims, String frameworkId, String executorId,
      String containerId) {
    String principal = principal(claims);
    if (!frameworkId.equals(claims.get("fid"))) {
      return "Authenticated principal '" + principal + "' does not contain an 'fid' claim with"
          + " the framework ID " + frameworkId + ", which is set in the call";
    }
    if (!executorId.equals(claims.get("eid"))) {
      return "Authenticated principal '" + principal + "' does not contain an 'eid' claim with"
          + " the executor ID " + executorId + ", which is set in the call";
    }
    if (!containerId.equals(claims.get("cid"))) {
      return "Authenticated principal '" + principal + "' does not contain a 'cid' claim with"
          + " the correct active ContainerID";
    }
    return null;
  }

  /** libprocess' rendering of a principal that has only claims. */
  private static String principal(Map<String, String> claims) {
    JsonObject inner = new JsonObject();
    new TreeMap<>(claims).forEach(inner::addProperty);
    JsonObject outer = new JsonObject();
    outer.add("claims", inner);
    return outer.toString();
  }

  private byte[] hmac(String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
