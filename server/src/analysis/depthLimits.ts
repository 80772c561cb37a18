// How deep the analysis looks into nested code. Real code nests a few dozen levels; generated code
// can nest thousands, where following every level for every name would cost the depth each time
// (or the stack). Below these depths the analysis degrades instead: less is known, nothing fails.

/**
 * Syntax-tree depth down to which scopes are analysed and cursor contexts computed. Below it,
 * names are not resolved one by one: their variables only count as uses of definitions outside.
 */
export const MAX_ANALYSIS_DEPTH = 500;

/**
 * How many attribute sets written inside each other one attribute-set shape looks into. Every
 * `rec` and `let` on the way builds its own shape, so deeper sets are left out (their names are
 * simply not known statically).
 */
export const MAX_SET_NESTING = 128;
