/**
 * Benchmarks of gil4j: JMH microbenchmarks ({@code dev.gil.benchmarks.jmh}) and harnesses that print medians and
 * ratios against baselines measured in the same run, beside CPython's figures ({@link dev.gil.benchmarks.Benchmarks}).
 */
package dev.gil.benchmarks;
