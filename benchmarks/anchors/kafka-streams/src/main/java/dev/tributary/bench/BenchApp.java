package dev.tributary.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Suppressed.BufferConfig;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The Kafka Streams side of the side-by-side benchmark: the workloads P1-P4 written as a Kafka Streams user would,
 * with default settings except the ones every system in the benchmark gets (guarantee, commit interval 100 ms,
 * threads). P3's final results come from suppress(untilWindowCloses): with emitStrategy(onWindowClose) and the
 * default record cache, 4.3.1 spent over 80 s of CPU on 20,000 records, its first emit per task walking the
 * cache one segment at a time from time 0 (TimeOrderedCachingWindowStore, seen in a thread dump). Arguments are key=value pairs: workload, guarantee, bootstrap, appId, input, output, table, threads,
 * stateDir. Runs until SIGTERM; prints "RUNNING" once the instance is running and "ERROR ..." if it fails.
 */
public final class BenchApp {
  private BenchApp() {}

  static Topology topology(Map<String, String> args) {
    String workload = args.get("workload");
    String input = args.get("input");
    String output = args.get("output");
    StreamsBuilder builder = new StreamsBuilder();
    switch (workload) {
      case "p1" -> builder.stream(input, Consumed.with(Serdes.Bytes(), Serdes.String()))
          .filter((key, value) -> !value.startsWith("#"))
          .mapValues(value -> value.toUpperCase())
          .to(output, Produced.with(Serdes.Bytes(), Serdes.String()));
      case "p2" -> builder.stream(input, Consumed.with(Serdes.String(), Serdes.Bytes()))
          .groupByKey()
          .count(Materialized.as("counts"))
          .toStream()
          .to(output, Produced.with(Serdes.String(), Serdes.Long()));
      case "p3" -> builder.stream(input, Consumed.with(Serdes.String(), Serdes.Bytes()))
          .groupByKey()
          .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMinutes(1)))
          .count(Materialized.as("window-counts"))
          .suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()))
          .toStream()
          .map((windowed, count) ->
              KeyValue.pair(windowed.key(), windowed.window().start() + ":" + count))
          .to(output, Produced.with(Serdes.String(), Serdes.String()));
      case "p4" -> {
        KTable<String, String> table =
            builder.table(args.get("table"), Consumed.with(Serdes.String(), Serdes.String()));
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
            .join(table, (value, row) -> row + "|" + value)
            .to(output, Produced.with(Serdes.String(), Serdes.String()));
      }
      default -> throw new IllegalArgumentException("unknown workload " + workload + "; use p1, p2, p3 or p4");
    }
    return builder.build();
  }

  public static void main(String[] argv) throws InterruptedException {
    Map<String, String> args = new HashMap<>();
    for (String arg : argv) {
      int eq = arg.indexOf('=');
      if (eq < 0) throw new IllegalArgumentException("arguments are key=value, got " + arg);
      args.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args.get("appId"));
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args.get("bootstrap"));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args.get("guarantee"));
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, args.getOrDefault("threads", "1"));
    props.put(StreamsConfig.STATE_DIR_CONFIG, args.get("stateDir"));
    KafkaStreams streams = new KafkaStreams(topology(args), props);
    CountDownLatch done = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) System.out.println("RUNNING");
      if (now == KafkaStreams.State.ERROR) {
        System.out.println("ERROR the instance went to ERROR");
        done.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(error -> {
      System.out.println("ERROR " + error);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(Duration.ofSeconds(10));
      done.countDown();
    }));
    streams.start();
    done.await();
  }
}
