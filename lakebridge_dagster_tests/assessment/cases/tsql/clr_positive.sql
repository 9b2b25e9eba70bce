-- expect: CLR
-- type: FUNCTION
-- lines: CLR@6
CREATE FUNCTION dbo.clr_positive (@input NVARCHAR(4000), @pattern NVARCHAR(4000))
RETURNS BIT
AS EXTERNAL NAME RegexLibrary.[RegexLibrary.Functions].IsMatch;
