-- Sequences with their type and bounds. The bounds are sql_variant, which
-- pyodbc cannot read, so they are cast to decimal(38, 0): a sequence's type is
-- an integer type or decimal/numeric with scale 0, so no value is rounded.
SELECT s.name AS schema_name,
       sq.name AS sequence_name,
       ty.name AS type_name,
       ty.is_user_defined AS is_user_defined,
       ty.max_length AS max_length,
       sq.[precision] AS [precision],
       sq.scale AS scale,
       CAST(sq.start_value AS decimal(38, 0)) AS start_value,
       CAST(sq.increment AS decimal(38, 0)) AS increment,
       CAST(sq.minimum_value AS decimal(38, 0)) AS minimum_value,
       CAST(sq.maximum_value AS decimal(38, 0)) AS maximum_value,
       sq.is_cycling AS is_cycling,
       sq.is_cached AS is_cached,
       sq.cache_size AS cache_size
FROM sys.sequences AS sq
JOIN sys.schemas AS s ON s.schema_id = sq.schema_id
JOIN sys.types AS ty ON ty.user_type_id = sq.user_type_id
WHERE sq.is_ms_shipped = 0
ORDER BY s.name, sq.name
