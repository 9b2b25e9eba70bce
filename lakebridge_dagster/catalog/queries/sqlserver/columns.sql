-- Columns of user tables in column_id order. The type is sys.types' name for
-- user_type_id (an alias type keeps its own name; base_type_name is the system
-- type it is based on, NULL for CLR types); max_length is in bytes
-- (-1 for MAX), so nvarchar(100) reads 200. PRECISION is a reserved word:
-- it is bracketed.
SELECT s.name AS schema_name,
       t.name AS table_name,
       c.column_id AS column_id,
       c.name AS column_name,
       ty.name AS type_name,
       ty.is_user_defined AS is_user_defined,
       bt.name AS base_type_name,
       c.max_length AS max_length,
       c.[precision] AS [precision],
       c.scale AS scale,
       c.is_nullable AS is_nullable,
       c.is_identity AS is_identity,
       c.is_computed AS is_computed,
       dc.definition AS default_definition
FROM sys.columns AS c
JOIN sys.tables AS t ON t.object_id = c.object_id
JOIN sys.schemas AS s ON s.schema_id = t.schema_id
JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id
LEFT JOIN sys.types AS bt ON bt.user_type_id = ty.system_type_id AND bt.is_user_defined = 0
LEFT JOIN sys.default_constraints AS dc ON dc.object_id = c.default_object_id
WHERE t.is_ms_shipped = 0
ORDER BY s.name, t.name, c.column_id
