package dev.mesoskit.local;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;

/**
 * Durations written the way Mesos writes them (stout's {@code operator<<(ostream&, Duration)}):
 * the largest unit whose value reads well, e.g. {@code 5secs}, {@code 1500ms}, {@code 15mins},
 * {@code 90secs}. Executors parse these from {@code MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD},
 * {@code MESOS_RECOVERY_TIMEOUT} and {@code MESOS_SUBSCRIPTION_BACKOFF_MAX}.
 */
final class DurationFormat {
  private static final long US = 1_000L;
  private static final long MS = 1_000_000L;
  private static final long SECS = 1_000_000_000L;
  private static final long MINS = 60 * SECS;
  private static final long HRS = 60 * MINS;
  private static final long DAYS = 24 * HRS;
  private static final long WEEKS = 7 * DAYS;

  private DurationFormat() {}

  /**
   * Formats a duration as stout does.
   *
   * @param duration the duration
   * @return e.g. {@code 5secs}
   */
  static String stringify(Duration duration) {
    long ns = duration.toNanos();
    if (ns < 0) {
      return "-" + stringify(duration.negated());
    }
    if (ns < US) {
      return ns + "ns";
    } else if (ns < MS) {
      return ns % US != 0 ? ns + "ns" : number(ns, US) + "us";
    } else if (ns < SECS) {
      return ns % MS != 0 && ns % US == 0 ? number(ns, US) + "us" : number(ns, MS) + "ms";
    } else if (ns < MINS) {
      return ns % SECS != 0 && ns % MS == 0 ? number(ns, MS) + "ms" : number(ns, SECS) + "secs";
    } else if (ns < HRS) {
      return ns % MINS != 0 && ns % SECS == 0 ? number(ns, SECS) + "secs" : number(ns, MINS) + "mins";
    } else if (ns < DAYS) {
      return ns % HRS != 0 && ns % MINS == 0 ? number(ns, MINS) + "mins" : number(ns, HRS) + "hrs";
    } else if (ns < WEEKS) {
      return ns % DAYS != 0 && ns % HRS == 0 ? number(ns, HRS) + "hrs" : number(ns, DAYS) + "days";
    }
    return ns % WEEKS != 0 && ns % DAYS == 0 ? number(ns, DAYS) + "days" : number(ns, WEEKS) + "weeks";
  }

  /** A double printed with 15 significant digits and no trailing zeros, as an ostream does. */
  private static String number(long ns, long unit) {
    double value = (double) ns / unit;
    return new BigDecimal(value).round(new MathContext(15)).stripTrailingZeros().toPlainString();
  }
}
