package dev.reconcile.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Optional;

/**
 * A five-field cron schedule (minute hour day-of-month month day-of-week), read as cron reads
 * it: {@code *}, numbers, ranges {@code a-b}, lists {@code a,b} and steps {@code * /n} or
 * {@code a-b/n}; day of week 0-7 with 0 and 7 both Sunday; when both day fields are restricted,
 * either matching is enough. Times are UTC.
 */
public final class CronSchedule {
  private static final String[] NAMES = {"minute", "hour", "day of month", "month", "day of week"};
  private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};

  private final String text;
  private final BitSet[] fields;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(String text, BitSet[] fields, boolean anyDayOfMonth, boolean anyDayOfWeek) {
    this.text = text;
    this.fields = fields;
    this.anyDayOfMonth = anyDayOfMonth;
    this.anyDayOfWeek = anyDayOfWeek;
  }

  /** The schedule, or an exception whose message says which field is wrong and why. */
  public static CronSchedule parse(String text) {
    var parts = text.strip().split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException("a schedule has 5 fields (minute hour day-of-month month "
          + "day-of-week), '" + text + "' has " + parts.length);
    }
    var fields = new BitSet[5];
    for (int i = 0; i < 5; i++) {
      fields[i] = field(parts[i], i);
    }
    if (fields[4].get(7)) {
      fields[4].set(0);
    }
    return new CronSchedule(text, fields, parts[2].equals("*"), parts[4].equals("*"));
  }

  private static BitSet field(String part, int index) {
    var bits = new BitSet();
    var min = RANGES[index][0];
    var max = RANGES[index][1];
    for (var item : part.split(",", -1)) {
      var step = 1;
      var range = item;
      var slash = item.indexOf('/');
      if (slash >= 0) {
        step = number(item.substring(slash + 1), index, 1, max);
        range = item.substring(0, slash);
      }
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        from = number(range.substring(0, range.indexOf('-')), index, min, max);
        to = number(range.substring(range.indexOf('-') + 1), index, min, max);
        if (from > to) {
          throw new IllegalArgumentException(
              "the " + NAMES[index] + " range '" + range + "' runs backwards");
        }
      } else {
        from = number(range, index, min, max);
        to = slash >= 0 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String text, int index, int min, int max) {
    if (!text.matches("[0-9]{1,2}")) {
      throw new IllegalArgumentException("'" + text + "' is not a number for the " + NAMES[index]
          + " field"
          + (text.isEmpty() ? "" : " (names such as MON or JAN are not supported: use numbers)"));
    }
    var value = Integer.parseInt(text);
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          "the " + NAMES[index] + " " + value + " is outside " + min + "-" + max);
    }
    return value;
  }

  /** Whether the schedule fires in the minute of {@code time} (UTC). */
  public boolean firesAt(ZonedDateTime time) {
    var t = time.withZoneSameInstant(ZoneOffset.UTC);
    if (!fields[0].get(t.getMinute())
        || !fields[1].get(t.getHour())
        || !fields[3].get(t.getMonthValue())) {
      return false;
    }
    var dom = fields[2].get(t.getDayOfMonth());
    var dow = fields[4].get(t.getDayOfWeek().getValue() % 7);
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  /**
   * The latest time the schedule fired after {@code after} and at or before {@code now}; empty
   * when it did not fire in between. Looks back at most 366 days.
   */
  public Optional<Instant> lastFiring(Instant after, Instant now) {
    var limit = now.minus(366, ChronoUnit.DAYS);
    var from = after.isAfter(limit) ? after : limit;
    for (var t = now.truncatedTo(ChronoUnit.MINUTES);
        t.isAfter(from);
        t = t.minus(1, ChronoUnit.MINUTES)) {
      if (firesAt(t.atZone(ZoneOffset.UTC))) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
