-- User triggers (not the internal ones behind foreign keys) with their table.
SELECT n.nspname AS schema,
       tg.tgname AS name,
       n.nspname || '.' || t.relname AS parent,
       pg_get_triggerdef(tg.oid, true) AS definition
FROM pg_trigger AS tg
JOIN pg_class AS t ON t.oid = tg.tgrelid
JOIN pg_namespace AS n ON n.oid = t.relnamespace
WHERE NOT tg.tgisinternal
  AND n.nspname = ANY(%(schemas)s)
ORDER BY n.nspname, t.relname, tg.tgname
