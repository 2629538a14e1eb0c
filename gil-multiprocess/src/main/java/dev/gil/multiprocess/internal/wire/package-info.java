/**
 * Internal use only. The one wire format: what the bytes of a message, a result, a pool chunk or a queue item mean.
 *
 * <p><b>Guarantees.</b> {@code WireCodec} is the only place that chooses an encoding: values that {@code SmallValues}
 * and {@code PackedTypes} can pack (boxed numbers, strings, arrays, the JDK's common collections, serializable records
 * and enums, nested) go packed; anything else goes by Java serialization ({@code SerialCodec}). Decoding never loads a
 * class, runs a constructor or a {@code readObject} before {@code AllowedClasses} admitted the class by name (JDK value
 * types, gil4j's, the application's own, and what the user allowed); a length is checked against {@code Limits} before
 * anything is allocated for it; a damaged or truncated message is an {@code IOException}, never another exception, a
 * hang or an out-of-memory error. {@code LambdaByReference} sends a lambda that captures only small values and
 * connections as the name of its method and its values, so a child can run it without Java deserialization.
 *
 * <p><b>How.</b> A packed value is a tag byte and its content, in a fixed order; a record is its class name and its
 * components, rebuilt through the canonical constructor; an enum its class and constant name. Shared or cyclic graphs
 * that packing cannot keep go by serialization, which keeps identity. The codecs are stateless and thread-safe.
 */
package dev.gil.multiprocess.internal.wire;
