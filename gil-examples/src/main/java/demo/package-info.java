/** Workloads for the examples that the gil4j agent instruments ({@code include=demo.*}). */
package demo;
