-- expect: none
-- functions: dbo.fn_ShiftHours
-- Built-in functions, a column named like the function, a procedure, a string.
CREATE PROCEDURE dbo.udf_call_negative
AS
BEGIN
    SELECT GETDATE() AS Now, a.fn_ShiftHours, 'dbo.fn_ShiftHours(1, 2)' AS Example
    FROM dbo.Attendance AS a;
    EXEC dbo.usp_RefreshTotals;
END
