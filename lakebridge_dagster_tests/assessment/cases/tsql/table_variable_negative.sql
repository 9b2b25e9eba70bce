-- expect: none
-- Variables named after tables, a TABLE keyword in a string and a comment.
CREATE PROCEDURE dbo.table_variable_negative
    @table_name SYSNAME
AS
BEGIN
    DECLARE @table INT = 1, @tableName NVARCHAR(128) = N'DECLARE @t TABLE (a INT)';
    -- DECLARE @t TABLE (a INT)
    SELECT @table AS TableNumber, @tableName AS TableName, @table_name AS Requested;
END
