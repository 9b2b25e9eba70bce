-- expect: none
-- type: FUNCTION
-- name: dbo.ufnLeadingZeros
-- source: microsoft/sql-server-samples instawdb.sql, line 339; MIT licence, see LICENSE-sql-server-samples.txt
CREATE FUNCTION [dbo].[ufnLeadingZeros](
    @Value int
)
RETURNS varchar(8)
WITH SCHEMABINDING
AS
BEGIN
    DECLARE @ReturnValue varchar(8);

    SET @ReturnValue = CONVERT(varchar(8), @Value);
    SET @ReturnValue = REPLICATE('0', 8 - DATALENGTH(@ReturnValue)) + @ReturnValue;

    RETURN (@ReturnValue);
END;
