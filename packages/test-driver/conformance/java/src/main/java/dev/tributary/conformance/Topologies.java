package dev.tributary.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;

/**
 * The conformance topologies, built with Kafka Streams' DSL. Each name has a twin in ../../../../../../src/topologies.ts
 * built with Tributary's DSL: same operators, same functions, same input topics, one output topic "out" of strings.
 */
final class Topologies {
  private Topologies() {}

  static final String IN = "in";
  static final String LEFT = "left";
  static final String RIGHT = "right";
  static final String TABLE = "table";
  static final String TABLE2 = "table2";
  static final String GLOBAL = "global";
  static final String OUT = "out";

  private static final Duration SIZE = Duration.ofMillis(10);
  private static final Duration GRACE = Duration.ofMillis(5);

  /** The first character of a value, its "group"; null for null. */
  private static String head(String v) {
    return v == null ? null : v.substring(0, 1);
  }

  private static String render(Windowed<String> wk) {
    return wk.key() + "@" + wk.window().start() + "/" + wk.window().end();
  }

  private static <V> void windowedOut(KTable<Windowed<String>, V> table) {
    table.toStream()
        .map((wk, v) -> KeyValue.pair(render(wk), v == null ? null : String.valueOf(v)))
        .to(OUT, Produced.with(Serdes.String(), Serdes.String()));
  }

  private static <V> void out(KTable<String, V> table) {
    table.toStream()
        .mapValues(v -> v == null ? null : String.valueOf(v))
        .to(OUT, Produced.with(Serdes.String(), Serdes.String()));
  }

  private static String agg(String agg, String v) {
    return agg + "+" + v;
  }

  static Topology build(String name) {
    StreamsBuilder b = new StreamsBuilder();
    switch (name) {
      case "stateless": {
        KStream<String, String> in = b.stream(IN);
        in.filterNot((k, v) -> v != null && v.startsWith("c"))
            .flatMapValues(v -> v == null ? java.util.Arrays.asList((String) null) : List.of(v, v + "'"))
            .mapValues((k, v) -> k + ":" + v)
            .peek((k, v) -> {})
            .selectKey((k, v) -> v.substring(v.length() - 1))
            .map((k, v) -> KeyValue.pair(v, k))
            .to(OUT);
        break;
      }
      case "split-merge": {
        KStream<String, String> in = b.stream(IN);
        var branches = in.split(Named.as("s-"))
            .branch((k, v) -> v != null && v.startsWith("a"), Branched.withFunction(s -> s.mapValues(v -> "A" + v), "a"))
            .branch((k, v) -> v != null && v.startsWith("b"), Branched.as("b"))
            .defaultBranch(Branched.withFunction(s -> s.filter((k, v) -> k != null), "rest"));
        branches.get("s-a").merge(branches.get("s-b")).merge(branches.get("s-rest"))
            .flatMap((k, v) -> {
              List<KeyValue<String, String>> r = new ArrayList<>();
              if (v != null && v.endsWith("1")) return r;
              r.add(KeyValue.pair(v, k));
              if (v != null && v.endsWith("2")) r.add(KeyValue.pair(k, v));
              return r;
            })
            .to(OUT);
        break;
      }
      case "count":
        out(b.<String, String>stream(IN).groupByKey().count());
        break;
      case "reduce":
        out(b.<String, String>stream(IN).groupByKey().reduce(Topologies::agg));
        break;
      case "aggregate":
        out(b.<String, String>stream(IN).groupByKey().aggregate(() -> "", (k, v, a) -> agg(a, v)));
        break;
      case "groupby-count":
        out(b.<String, String>stream(IN).groupBy((k, v) -> head(v)).count());
        break;
      case "tumbling":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE))
            .aggregate(() -> "", (k, v, a) -> agg(a, v)));
        break;
      case "tumbling-count":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(TimeWindows.ofSizeWithNoGrace(SIZE)).count());
        break;
      case "hopping":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofMillis(3)).advanceBy(Duration.ofMillis(4)))
            .reduce(Topologies::agg));
        break;
      case "sliding":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(SIZE, GRACE))
            .aggregate(() -> "", (k, v, a) -> agg(a, v)));
        break;
      case "session":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(SessionWindows.ofInactivityGapAndGrace(GRACE, Duration.ofMillis(3)))
            .aggregate(() -> "", (k, v, a) -> agg(a, v), (k, a1, a2) -> a1 + "&" + a2));
        break;
      case "session-count":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(GRACE)).count());
        break;
      case "tumbling-final":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE))
            .emitStrategy(EmitStrategy.onWindowClose())
            .aggregate(() -> "", (k, v, a) -> agg(a, v)));
        break;
      case "hopping-final":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, Duration.ofMillis(3)).advanceBy(Duration.ofMillis(4)))
            .emitStrategy(EmitStrategy.onWindowClose())
            .count());
        break;
      case "sliding-final":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(SIZE, GRACE))
            .emitStrategy(EmitStrategy.onWindowClose())
            .aggregate(() -> "", (k, v, a) -> agg(a, v)));
        break;
      case "session-final":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(SessionWindows.ofInactivityGapAndGrace(GRACE, Duration.ofMillis(3)))
            .emitStrategy(EmitStrategy.onWindowClose())
            .aggregate(() -> "", (k, v, a) -> agg(a, v), (k, a1, a2) -> a1 + "&" + a2));
        break;
      case "tumbling-suppress":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(TimeWindows.ofSizeAndGrace(SIZE, GRACE))
            .aggregate(() -> "", (k, v, a) -> agg(a, v), Materialized.with(Serdes.String(), Serdes.String()))
            .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())));
        break;
      case "session-suppress":
        windowedOut(b.<String, String>stream(IN).groupByKey()
            .windowedBy(SessionWindows.ofInactivityGapAndGrace(GRACE, Duration.ofMillis(3)))
            .count(Materialized.with(Serdes.String(), Serdes.Long()))
            .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())));
        break;
      case "time-limit-suppress":
        out(b.<String, String>stream(IN).groupByKey().reduce(Topologies::agg)
            .suppress(Suppressed.untilTimeLimit(SIZE, Suppressed.BufferConfig.unbounded())));
        break;
      case "table-ops":
        out(b.<String, String>table(TABLE)
            .filter((k, v) -> !v.startsWith("c"))
            .mapValues((k, v) -> k + "=" + v)
            .filterNot((k, v) -> v.endsWith("3")));
        break;
      case "table-groupby-aggregate":
        out(b.<String, String>table(TABLE)
            .groupBy((k, v) -> KeyValue.pair(head(v), k + v))
            .aggregate(() -> "", (k, v, a) -> a + "+" + v, (k, v, a) -> a + "-" + v));
        break;
      case "table-groupby-count":
        out(b.<String, String>table(TABLE).groupBy((k, v) -> KeyValue.pair(head(v), v)).count());
        break;
      case "table-groupby-reduce":
        out(b.<String, String>table(TABLE)
            .groupBy((k, v) -> KeyValue.pair(v.substring(1), k))
            .reduce((a, v) -> a + "+" + v, (a, v) -> a + "-" + v));
        break;
      case "ss-inner":
      case "ss-left":
      case "ss-outer": {
        KStream<String, String> l = b.stream(LEFT);
        KStream<String, String> r = b.stream(RIGHT);
        JoinWindows w = JoinWindows.ofTimeDifferenceAndGrace(GRACE, Duration.ofMillis(3));
        KStream<String, String> j = name.equals("ss-inner")
            ? l.join(r, (a, c) -> a + "/" + c, w)
            : name.equals("ss-left") ? l.leftJoin(r, (a, c) -> a + "/" + c, w) : l.outerJoin(r, (a, c) -> a + "/" + c, w);
        j.to(OUT);
        break;
      }
      case "st-inner":
      case "st-left": {
        KStream<String, String> l = b.stream(LEFT);
        KTable<String, String> t = b.table(TABLE);
        (name.equals("st-inner") ? l.join(t, (a, c) -> a + "/" + c) : l.leftJoin(t, (a, c) -> a + "/" + c)).to(OUT);
        break;
      }
      case "tt-inner":
      case "tt-left":
      case "tt-outer": {
        KTable<String, String> l = b.table(TABLE);
        KTable<String, String> r = b.table(TABLE2);
        KTable<String, String> j = name.equals("tt-inner")
            ? l.join(r, (a, c) -> a + "/" + c)
            : name.equals("tt-left") ? l.leftJoin(r, (a, c) -> a + "/" + c) : l.outerJoin(r, (a, c) -> a + "/" + c);
        out(j);
        break;
      }
      case "fk-inner":
      case "fk-left": {
        KTable<String, String> l = b.table(TABLE);
        KTable<String, String> r = b.table(TABLE2);
        KTable<String, String> j = name.equals("fk-inner")
            ? l.join(r, Topologies::head, (a, c) -> a + "/" + c)
            : l.leftJoin(r, Topologies::head, (a, c) -> a + "/" + c);
        out(j);
        break;
      }
      case "sg-inner":
      case "sg-left": {
        KStream<String, String> l = b.stream(LEFT);
        GlobalKTable<String, String> g = b.globalTable(GLOBAL);
        (name.equals("sg-inner")
                ? l.join(g, (k, v) -> head(v), (a, c) -> a + "/" + c)
                : l.leftJoin(g, (k, v) -> head(v), (a, c) -> a + "/" + c))
            .to(OUT);
        break;
      }
      default:
        throw new IllegalArgumentException("unknown topology '" + name + "'");
    }
    return b.build();
  }
}
