package dev.pronto.inference.pmml.compiled;

/**
 * One node of a compiled {@link Tree}: its predicate, its children in document order, its result if
 * it has a score ({@code null} otherwise), and the index of its {@code defaultChild} among its
 * children (-1: none). The walk goes through the nodes as laid out in a {@link TreeLayout}.
 * The arrays are not changed after construction.
 */
record TreeNode(Tree.Predicate predicate, TreeNode[] children, Tree.Leaf leaf, int defaultChild) {
}
