-- Every user table, view, routine, trigger and sequence, with its T-SQL module
-- text (NULL for tables, sequences, CLR objects and WITH ENCRYPTION modules)
-- and, for a trigger, the table or view it fires on.
SELECT s.name AS schema_name,
       o.name AS object_name,
       RTRIM(o.type) AS object_type,
       m.definition AS definition,
       ps.name AS parent_schema,
       po.name AS parent_name
FROM sys.objects AS o
JOIN sys.schemas AS s ON s.schema_id = o.schema_id
LEFT JOIN sys.sql_modules AS m ON m.object_id = o.object_id
LEFT JOIN sys.objects AS po ON po.object_id = o.parent_object_id AND o.type IN ('TR', 'TA')
LEFT JOIN sys.schemas AS ps ON ps.schema_id = po.schema_id
WHERE o.is_ms_shipped = 0
  AND o.type IN ('U', 'V', 'P', 'PC', 'FN', 'IF', 'TF', 'FS', 'FT', 'TR', 'TA', 'SO')
ORDER BY s.name, o.name
