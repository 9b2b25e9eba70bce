-- Columns of tables and views, in column order (ordinal renumbered past dropped columns).
SELECT n.nspname AS schema,
       c.relname AS table_name,
       a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS data_type,
       NOT a.attnotnull AS nullable,
       row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) AS ordinal,
       pg_get_expr(d.adbin, d.adrelid) AS "default",
       a.attidentity <> '' AS is_identity,
       a.attgenerated <> '' AS is_computed
FROM pg_attribute AS a
JOIN pg_class AS c ON c.oid = a.attrelid
JOIN pg_namespace AS n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attnum > 0
  AND NOT a.attisdropped
  AND c.relkind IN ('r', 'p', 'v', 'm')
  AND NOT c.relispartition
  AND n.nspname = ANY(%(schemas)s)
ORDER BY n.nspname, c.relname, a.attnum
