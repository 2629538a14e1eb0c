/** The agent's implementation: the class filter, the bytecode rewriting (ASM) and the transformer. Not API. */
package dev.gil.agent.internal;
