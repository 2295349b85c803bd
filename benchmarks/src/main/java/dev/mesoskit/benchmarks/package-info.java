/**
 * Benchmarks of MesosKit against named baselines: event throughput against plain protobuf
 * parsing, and sdk-offers' packing against Fenzo (speed and utilization on Fenzo's own workload,
 * packing quality on vector bin packing instances).
 *
 * <p>Where it sits: benchmarks, on top of every module; never run by the tests. JMH benchmarks
 * run from {@code target/benchmarks.jar}; deterministic quality measurements are plain programs.
 *
 * <p>Threading: each JMH benchmark runs on JMH's single worker thread; the frameworks it starts
 * use their own event threads.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LotsOfTasks
 * }</pre>
 */
package dev.mesoskit.benchmarks;
