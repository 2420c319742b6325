package org.lazyseg.core.ops;

/** Which neighbours touch: 4 (edges) or 8 (edges and corners). */
public enum Connectivity {
  FOUR(4),
  EIGHT(8);

  private final int neighbours;

  Connectivity(int neighbours) {
    this.neighbours = neighbours;
  }

  public int neighbours() {
    return neighbours;
  }
}
