-- Key columns of every index on a user table, primary keys included, in
-- key_ordinal order. Heaps (index_id 0) have no keys; included columns are not
-- keys; hypothetical indexes (left by the tuning advisor) do not exist.
SELECT s.name AS schema_name,
       t.name AS table_name,
       i.index_id AS index_id,
       i.name AS index_name,
       i.is_primary_key AS is_primary_key,
       i.is_unique AS is_unique,
       i.type_desc AS type_desc,
       ic.key_ordinal AS key_ordinal,
       c.name AS column_name
FROM sys.indexes AS i
JOIN sys.tables AS t ON t.object_id = i.object_id
JOIN sys.schemas AS s ON s.schema_id = t.schema_id
JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
WHERE t.is_ms_shipped = 0
  AND i.type <> 0
  AND i.is_hypothetical = 0
  AND ic.is_included_column = 0
ORDER BY s.name, t.name, i.index_id, ic.key_ordinal, ic.index_column_id
