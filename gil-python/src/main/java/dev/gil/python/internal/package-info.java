/**
 * Not API. The bridge that Python code under gil4j's lock calls, and the prelude ({@code gil4j_prelude.py}) that
 * makes Jython's threads, blocking calls and eval loop use it.
 */
package dev.gil.python.internal;
