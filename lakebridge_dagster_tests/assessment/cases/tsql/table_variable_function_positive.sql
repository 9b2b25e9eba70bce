-- expect: TABLE_VARIABLE, WHILE_LOOP
-- type: FUNCTION
-- A multi-statement table-valued function returns a table variable.
CREATE FUNCTION dbo.table_variable_function_positive (@n INT)
RETURNS @numbers TABLE (n INT NOT NULL)
AS
BEGIN
    DECLARE @i INT = 1;
    WHILE @i <= @n
    BEGIN
        INSERT INTO @numbers (n) VALUES (@i);
        SET @i += 1;
    END;
    RETURN;
END
