package org.lazyseg.core.ops;

import java.util.Arrays;

/**
 * Disjoint sets over the elements 0..n-1 (union-find): each set is named by its smallest
 * element, so the root of a set does not depend on the order of the unions. Elements can be
 * added one at a time ({@link #add}), for a labelling that does not know its count in advance.
 */
public final class UnionFind {
  private int[] parent;
  private int size;

  /** n singleton sets {0}, {1}, ..., {n - 1}. */
  public UnionFind(int n) {
    parent = new int[Math.max(n, 16)];
    size = n;
    for (int k = 0; k < n; k++) {
      parent[k] = k;
    }
  }

  /** Adds the singleton set {n} (n = the element count before) and returns n. */
  public int add() {
    if (size == parent.length) {
      parent = Arrays.copyOf(parent, parent.length + (parent.length >> 1));
    }
    parent[size] = size;
    return size++;
  }

  /** The number of elements. */
  public int size() {
    return size;
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

  /**
   * Numbers the sets 1, 2, ... in the order of their smallest elements: entry k of the result
   * is the number of the set holding k. Leaves the sets as they are.
   */
  public int[] numberSets() {
    // parent[k] <= k always (the smaller root wins, path halving only shortens), so one
    // ascending pass sees every element's parent numbered before the element itself.
    int[] number = new int[size];
    int sets = 0;
    for (int k = 0; k < size; k++) {
      number[k] = parent[k] == k ? ++sets : number[parent[k]];
    }
    return number;
  }
}
