package com.communitypulse.sentiment;

/**
 * A character trie stored as one open-addressing hash table keyed by (node, char). One probe per
 * character and no per-node objects keeps a few thousand lexicon terms in a few hundred kilobytes
 * and makes longest-match lookups allocation-free. Immutable once built.
 */
final class TermTrie {

    private final long[] keys; // ((node << 16) | char) + 1; 0 marks an empty slot
    private final int[] children;
    private final int[] termAtNode;
    private final int mask;

    private TermTrie(long[] keys, int[] children, int[] termAtNode) {
        this.keys = keys;
        this.children = children;
        this.termAtNode = termAtNode;
        this.mask = keys.length - 1;
    }

    /** Child of {@code node} on {@code c}, or -1. The root is node 0. */
    int child(int node, char c) {
        long key = (((long) node << 16) | c) + 1;
        int slot = (int) mix(key) & mask;
        while (true) {
            long k = keys[slot];
            if (k == key) {
                return children[slot];
            }
            if (k == 0) {
                return -1;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** Term id ending at {@code node}, or -1. */
    int termAt(int node) {
        return termAtNode[node];
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    static Builder builder() {
        return new Builder();
    }

    /** Collects terms, then sizes the table once. */
    static final class Builder {
        private final java.util.HashMap<Long, Integer> edges = new java.util.HashMap<>();
        private final java.util.ArrayList<Integer> terms = new java.util.ArrayList<>();

        private Builder() {
            terms.add(-1); // root
        }

        void add(String term, int termId) {
            int node = 0;
            for (int i = 0; i < term.length(); i++) {
                long key = ((long) node << 16) | term.charAt(i);
                Integer next = edges.get(key);
                if (next == null) {
                    next = terms.size();
                    terms.add(-1);
                    edges.put(key, next);
                }
                node = next;
            }
            terms.set(node, termId);
        }

        TermTrie build() {
            int cap = Integer.highestOneBit(Math.max(16, edges.size() * 2 + 1)) << 1;
            long[] keys = new long[cap];
            int[] children = new int[cap];
            for (java.util.Map.Entry<Long, Integer> e : edges.entrySet()) {
                long key = e.getKey() + 1;
                int slot = (int) mix(key) & (cap - 1);
                while (keys[slot] != 0) {
                    slot = (slot + 1) & (cap - 1);
                }
                keys[slot] = key;
                children[slot] = e.getValue();
            }
            int[] termAt = new int[terms.size()];
            for (int i = 0; i < termAt.length; i++) {
                termAt[i] = terms.get(i);
            }
            return new TermTrie(keys, children, termAt);
        }
    }
}
