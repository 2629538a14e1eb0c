package org.example.gadget;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A serializable class with a side effect in {@code readObject}, as a deserialization gadget has: the allow-list tests
 * put it in a jar, as a library's class, and check that it never runs there.
 */
public class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The system property {@code readObject} sets. */
    public static final String RAN = "gil4j.test.gadget.ran";

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        System.setProperty(RAN, "true");
    }
}
