-- expect: none
-- Static procedure calls, a return status, impersonation, SQL in strings never executed.
CREATE PROCEDURE dbo.dynamic_sql_negative
AS
BEGIN
    DECLARE @rc INT, @text NVARCHAR(200);
    EXEC dbo.usp_RefreshTotals @full = 1;
    EXEC @rc = dbo.usp_RefreshTotals;
    EXECUTE AS USER = 'loader';
    REVERT;
    SET @text = N'EXEC (@sql); EXEC sp_executesql @sql; MERGE dbo.T USING dbo.S ON 1 = 1';
    -- EXEC sp_executesql @text
    SELECT @text AS Example, @rc AS ReturnCode;
END
