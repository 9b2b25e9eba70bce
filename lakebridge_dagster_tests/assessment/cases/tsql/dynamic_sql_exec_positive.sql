-- expect: DYNAMIC_SQL
-- lines: DYNAMIC_SQL@8
CREATE PROCEDURE dbo.dynamic_sql_exec_positive
    @table SYSNAME
AS
BEGIN
    DECLARE @sql NVARCHAR(MAX) = N'SELECT COUNT(*) FROM dbo.' + QUOTENAME(@table);
    EXEC (@sql);
END
