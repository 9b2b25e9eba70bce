-- expect: none
-- type: FUNCTION
-- functions: dbo.fn_Other
-- A recursive call to itself is not a call to another function.
CREATE FUNCTION dbo.udf_call_self_negative (@n INT)
RETURNS INT
AS
BEGIN
    RETURN CASE WHEN @n <= 1 THEN 1 ELSE @n * dbo.udf_call_self_negative(@n - 1) END;
END
