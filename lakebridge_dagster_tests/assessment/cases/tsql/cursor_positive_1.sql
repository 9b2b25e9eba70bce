-- expect: CURSOR, WHILE_LOOP
-- lines: CURSOR@8 WHILE_LOOP@12
CREATE PROCEDURE dbo.cursor_positive_1
AS
BEGIN
    DECLARE @id INT, @name NVARCHAR(100);
    -- a classic row-by-row loop
    DECLARE worker_cursor CURSOR LOCAL FAST_FORWARD FOR
        SELECT Id, Name FROM dbo.Worker ORDER BY Id;
    OPEN worker_cursor;
    FETCH NEXT FROM worker_cursor INTO @id, @name;
    WHILE @@FETCH_STATUS = 0
    BEGIN
        UPDATE dbo.Worker SET Name = UPPER(@name) WHERE Id = @id;
        FETCH NEXT FROM worker_cursor INTO @id, @name;
    END;
    CLOSE worker_cursor;
    DEALLOCATE worker_cursor;
END
