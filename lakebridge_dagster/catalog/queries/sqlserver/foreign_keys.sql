-- Foreign keys of user tables, one row per column pair in constraint order.
SELECT s.name AS schema_name,
       t.name AS table_name,
       fk.name AS constraint_name,
       fkc.constraint_column_id AS constraint_column_id,
       c.name AS column_name,
       rs.name AS referenced_schema,
       rt.name AS referenced_table,
       rc.name AS referenced_column
FROM sys.foreign_keys AS fk
JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id
JOIN sys.tables AS t ON t.object_id = fk.parent_object_id
JOIN sys.schemas AS s ON s.schema_id = t.schema_id
JOIN sys.columns AS c ON c.object_id = fkc.parent_object_id AND c.column_id = fkc.parent_column_id
JOIN sys.tables AS rt ON rt.object_id = fk.referenced_object_id
JOIN sys.schemas AS rs ON rs.schema_id = rt.schema_id
JOIN sys.columns AS rc
  ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
WHERE fk.is_ms_shipped = 0
  AND t.is_ms_shipped = 0
ORDER BY s.name, t.name, fk.name, fkc.constraint_column_id
