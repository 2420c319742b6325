package org.lazyseg.core.ops;

/**
 * Disjoint sets over the elements 0..n-1 (union-find): each set is named by its smallest
 * element, so the root of a set does not depend on the order of the unions.
 */
public final class UnionFind {
  private final int[] parent;

  /** n singleton sets {0}, {1}, ..., {n - 1}. */
  public UnionFind(int n) {
    parent = new int[n];
    for (int k = 0; k < n; k++) {
      parent[k] = k;
    }
  }

  /** The smallest element of the set holding {@code k} (with path halving). */
  public int find(int k) {
    while (parent[k] != k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  }

  /** Joins the sets of {@code a} and {@code b}; the smaller root becomes the joint root. */
  public void union(int a, int b) {
    int ra = find(a), rb = find(b);
    parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}
