-- Views and materialized views, as a complete CREATE statement.
SELECT n.nspname AS schema,
       c.relname AS name,
       CASE c.relkind WHEN 'm' THEN 'CREATE MATERIALIZED VIEW ' ELSE 'CREATE OR REPLACE VIEW ' END
           || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || E' AS\n'
           || pg_get_viewdef(c.oid, true) AS definition
FROM pg_class AS c
JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY(%(schemas)s)
  AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname
