package org.lazyseg.train.method;

import java.util.List;
import java.util.stream.Collectors;

/** The methods the product knows, by name. */
public final class Methods {
  private static final List<Method> ALL = List.of(new Supervised(), new LazyMultiTask());

  private Methods() {}

  public static List<Method> all() {
    return ALL;
  }

  /** The method called {@code name}; the message lists the known ones. */
  public static Method byName(String name) {
    return ALL.stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown method '" + name + "' (known: "
            + ALL.stream().map(Method::name).collect(Collectors.joining(", ")) + ")"));
  }
}
