-- expect: DYNAMIC_SQL
CREATE PROCEDURE dbo.dynamic_sql_sp_executesql_positive
    @id INT
AS
BEGIN
    DECLARE @sql NVARCHAR(MAX) = N'SELECT Name FROM dbo.Company WHERE Id = @pId';
    EXEC sys.sp_executesql @sql, N'@pId INT', @pId = @id;
END
