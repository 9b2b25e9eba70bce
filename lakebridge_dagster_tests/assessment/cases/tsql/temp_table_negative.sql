-- expect: none
-- #temp only in comments and strings; "Temp" only inside names.
CREATE VIEW dbo.temp_table_negative
AS
SELECT t.TempTableName,
       t.[#NotATempTable] AS HashColumn,
       '#temp' AS Label,
       N'SELECT * INTO #t FROM x' AS Text -- INTO #t
FROM dbo.TempTableCatalog AS t
