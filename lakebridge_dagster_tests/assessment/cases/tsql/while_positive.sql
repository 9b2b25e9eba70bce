-- expect: WHILE_LOOP
-- lines: WHILE_LOOP@7
CREATE PROCEDURE dbo.while_positive
AS
BEGIN
    DECLARE @i INT = 0;
    WHILE @i < 10
    BEGIN
        INSERT INTO dbo.Numbers (n) VALUES (@i);
        SET @i = @i + 1;
    END;
END
