-- 0049 dropped and added the products' search columns: their statistics went with them, and an ALTER
-- TABLE rewrite does not count as changes for autovacuum's analyze. Without statistics the planner guesses
-- how many products a word matches; gather them now rather than whenever enough products change.
ANALYZE products;
