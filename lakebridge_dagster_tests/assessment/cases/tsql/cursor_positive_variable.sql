-- expect: CURSOR, WHILE_LOOP
-- A cursor variable, declared and then bound with SET ... = CURSOR FOR.
CREATE PROCEDURE dbo.cursor_positive_variable
    @result CURSOR VARYING OUTPUT
AS
BEGIN
    DECLARE @c CURSOR;
    DECLARE @n INT;
    SET @c = CURSOR FORWARD_ONLY STATIC FOR SELECT Id FROM dbo.Site;
    OPEN @c;
    FETCH NEXT FROM @c INTO @n;
    WHILE @@FETCH_STATUS = 0
        FETCH NEXT FROM @c INTO @n;
    SET @result = @c;
END
