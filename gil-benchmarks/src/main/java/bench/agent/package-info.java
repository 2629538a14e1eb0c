/** Code the agent benchmarks instrument with the gil4j agent ({@code include=bench.agent.*}). */
package bench.agent;
