-- One row per table: planner estimate (reltuples, -1 when never analyzed) and total size.
SELECT n.nspname AS schema,
       c.relname AS name,
       c.reltuples::bigint AS row_estimate,
       pg_total_relation_size(c.oid) AS size_bytes
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND n.nspname = ANY(%(schemas)s)
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
