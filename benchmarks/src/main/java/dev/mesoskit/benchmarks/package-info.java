/**
 * Benchmarks of MesosKit against named baselines; filled by the issues that set performance targets.
 *
 * <p>Where it sits: benchmarks, on top of every module; never run by the tests.
 *
 * <p>Threading: nothing here yet.
 */
package dev.mesoskit.benchmarks;
