/** The same code as {@code bench.agent}, never instrumented: the baseline of the agent benchmarks. */
package bench.plain;
