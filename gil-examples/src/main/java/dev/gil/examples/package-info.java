/**
 * The seed blog post "GIL을 알아보자", runnable: one main per section and the {@code tour} command
 * ({@link dev.gil.examples.GilExamples}).
 */
package dev.gil.examples;
