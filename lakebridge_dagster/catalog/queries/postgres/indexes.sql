-- Indexes with their key columns in order (expressions rendered); the primary key is one of them.
SELECT n.nspname AS schema,
       t.relname AS table_name,
       i.relname AS name,
       ix.indisunique AS "unique",
       ix.indisprimary AS "primary",
       am.amname AS kind,
       ARRAY(
           SELECT CASE WHEN k.attnum > 0 THEN a.attname
                       ELSE pg_get_indexdef(ix.indexrelid, k.ord::int, true) END
           FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
           LEFT JOIN pg_attribute AS a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
           WHERE k.ord <= ix.indnkeyatts
           ORDER BY k.ord
       ) AS columns
FROM pg_index AS ix
JOIN pg_class AS i ON i.oid = ix.indexrelid
JOIN pg_class AS t ON t.oid = ix.indrelid
JOIN pg_namespace AS n ON n.oid = t.relnamespace
JOIN pg_am AS am ON am.oid = i.relam
WHERE t.relkind IN ('r', 'p', 'm')
  AND n.nspname = ANY(%(schemas)s)
ORDER BY n.nspname, t.relname, ix.indisprimary DESC, i.relname
