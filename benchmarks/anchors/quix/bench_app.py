"""Quix Streams' side of the side-by-side benchmark (benchmarks/src/sideBySide): P1-P3 as a Quix user would
write them, with default settings except the ones every system gets (guarantee, commit interval 100 ms).
Quix Streams has no stream-table join against a compacted topic of this shape, so P4 is not expressed here.
Arguments are key=value pairs: workload, guarantee, bootstrap, appId, input, output, stateDir.
Prints RUNNING when it starts processing; stops on SIGTERM (Quix handles it)."""

import sys

from quixstreams import Application


def main() -> None:
    args = dict(arg.split("=", 1) for arg in sys.argv[1:])
    workload = args["workload"]
    app = Application(
        broker_address=args["bootstrap"],
        consumer_group=args["appId"],
        auto_offset_reset="earliest",
        processing_guarantee="exactly-once" if args["guarantee"] == "exactly_once_v2" else "at-least-once",
        commit_interval=0.1,
        state_dir=args["stateDir"],
        loglevel="WARNING",
    )
    key_type = "bytes" if workload == "p1" else "str"
    source = app.topic(args["input"], key_deserializer=key_type, value_deserializer="str")
    sink = app.topic(args["output"], key_serializer=key_type, value_serializer="str")
    sdf = app.dataframe(source)
    if workload == "p1":
        sdf = sdf.filter(lambda value: not value.startswith("#")).apply(lambda value: value.upper())
    elif workload == "p2":

        def count(_value, state):
            total = state.get("count", 0) + 1
            state.set("count", total)
            return str(total)

        sdf = sdf.apply(count, stateful=True)
    elif workload == "p3":
        sdf = (
            sdf.tumbling_window(duration_ms=60_000, grace_ms=0)
            .count()
            # "partition": stream time of the whole partition closes windows, as in Kafka Streams (the default,
            # "key", closes a key's windows only on that key's next record, so the last windows never close).
            .final(closing_strategy="partition")
            .apply(lambda window: f"{window['start']}:{window['value']}")
        )
    else:
        raise SystemExit(f"workload {workload} is not expressed for Quix Streams")
    sdf.to_topic(sink)
    print("RUNNING", flush=True)
    app.run()


if __name__ == "__main__":
    main()
