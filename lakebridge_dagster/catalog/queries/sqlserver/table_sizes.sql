-- Rows and reserved bytes per user table. Rows come from the heap or clustered
-- index only (index_id 0 or 1; other indexes hold the same rows again); bytes
-- are every page reserved by the table and all its indexes, including LOB and
-- row-overflow pages, at 8 KiB a page. Rows and pages are summed separately so
-- that a partition's several allocation units do not count its rows twice.
WITH table_rows AS (
    SELECT p.object_id, SUM(p.rows) AS row_count
    FROM sys.partitions AS p
    WHERE p.index_id IN (0, 1)
    GROUP BY p.object_id
), table_pages AS (
    SELECT p.object_id, SUM(a.total_pages) AS total_pages
    FROM sys.partitions AS p
    JOIN sys.allocation_units AS a
      ON a.container_id = CASE WHEN a.type IN (1, 3) THEN p.hobt_id ELSE p.partition_id END
    GROUP BY p.object_id
)
SELECT s.name AS schema_name,
       t.name AS table_name,
       r.row_count AS row_count,
       pg.total_pages * 8192 AS size_bytes
FROM sys.tables AS t
JOIN sys.schemas AS s ON s.schema_id = t.schema_id
LEFT JOIN table_rows AS r ON r.object_id = t.object_id
LEFT JOIN table_pages AS pg ON pg.object_id = t.object_id
WHERE t.is_ms_shipped = 0
ORDER BY s.name, t.name
