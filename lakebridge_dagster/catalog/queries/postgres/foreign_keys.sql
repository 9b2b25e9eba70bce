-- Foreign keys with their column lists in constraint order.
SELECT n.nspname AS schema,
       t.relname AS table_name,
       con.conname AS name,
       ARRAY(
           SELECT a.attname
           FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
           ORDER BY k.ord
       ) AS columns,
       rn.nspname AS referenced_schema,
       rt.relname AS referenced_table,
       ARRAY(
           SELECT a.attname
           FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute AS a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
           ORDER BY k.ord
       ) AS referenced_columns
FROM pg_constraint AS con
JOIN pg_class AS t ON t.oid = con.conrelid
JOIN pg_namespace AS n ON n.oid = t.relnamespace
JOIN pg_class AS rt ON rt.oid = con.confrelid
JOIN pg_namespace AS rn ON rn.oid = rt.relnamespace
WHERE con.contype = 'f'
  AND n.nspname = ANY(%(schemas)s)
ORDER BY n.nspname, t.relname, con.conname
