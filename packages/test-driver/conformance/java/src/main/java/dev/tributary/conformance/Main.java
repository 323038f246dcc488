package dev.tributary.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Replays conformance scenarios through Kafka Streams' TopologyTestDriver.
 *
 * <p>Usage: {@code java dev.tributary.conformance.Main <scenarios.json> <results.json>}. The input is
 * {@code {"scenarios": [{"id", "topology", "config"?: {kafka property: value}, "steps": [...]}]}} with steps
 * {@code {"pipe": topic, "key", "value", "ts"}} or {@code {"advance": ms}}; the output is
 * {@code {"results": [{"id", "records": [{"step", "key", "value", "ts"}], "error"?, "errorStep"?}]}}, records
 * of topic "out" in the order they came out, each with the index of the step after which it was read.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode input = json.readTree(new File(args[0]));
    ObjectNode output = json.createObjectNode();
    ArrayNode results = output.putArray("results");
    // A state directory of this JVM's own: several runs (worktrees, CI) may replay at once on one machine.
    Path stateDir = Files.createTempDirectory("tributary-conformance-");
    try {
      for (JsonNode scenario : input.get("scenarios")) results.add(run(json, scenario, stateDir.toString()));
    } finally {
      try (Stream<Path> paths = Files.walk(stateDir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    json.writeValue(new File(args[1]), output);
  }

  private static ObjectNode run(ObjectMapper json, JsonNode scenario, String stateDir) {
    ObjectNode result = json.createObjectNode();
    result.put("id", scenario.get("id").asText());
    ArrayNode records = result.putArray("records");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "conformance");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    // The wall-clock emit throttles off unless a scenario sets them (Tributary's defaults are Kafka's 1000 ms;
    // the suite's TributarySide passes the same values).
    props.put("__emit.interval.ms.kstreams.outer.join.spurious.results.fix__", "0");
    props.put("__emit.interval.ms.kstreams.windowed.aggregation__", "0");
    JsonNode config = scenario.get("config");
    if (config != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        props.put(e.getKey(), e.getValue().asText());
      }
    }
    int step = -1;
    try {
      Topology topology = Topologies.build(scenario.get("topology").asText());
      try (TopologyTestDriver driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(0))) {
        TestOutputTopic<String, String> out =
            driver.createOutputTopic(Topologies.OUT, new StringDeserializer(), new StringDeserializer());
        java.util.Map<String, TestInputTopic<String, String>> inputs = new java.util.HashMap<>();
        for (JsonNode s : scenario.get("steps")) {
          step++;
          if (s.has("advance")) {
            driver.advanceWallClockTime(Duration.ofMillis(s.get("advance").asLong()));
          } else {
            String topic = s.get("pipe").asText();
            TestInputTopic<String, String> in = inputs.computeIfAbsent(topic,
                t -> driver.createInputTopic(t, new StringSerializer(), new StringSerializer()));
            in.pipeInput(text(s.get("key")), text(s.get("value")), s.get("ts").asLong());
          }
          for (TestRecord<String, String> r : out.readRecordsToList()) {
            ObjectNode o = records.addObject();
            o.put("step", step);
            o.put("key", r.key());
            o.put("value", r.value());
            o.put("ts", r.timestamp());
          }
        }
      }
    } catch (RuntimeException e) {
      result.put("error", String.valueOf(e));
      result.put("errorStep", step);
    }
    return result;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
