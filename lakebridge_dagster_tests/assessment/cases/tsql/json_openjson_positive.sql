-- expect: XML_JSON
CREATE PROCEDURE dbo.json_openjson_positive
    @doc NVARCHAR(MAX)
AS
BEGIN
    IF ISJSON(@doc) = 1
        SELECT j.Id, j.Name
        FROM OPENJSON(@doc) WITH (Id INT '$.id', Name NVARCHAR(100) '$.name') AS j
        FOR JSON PATH;
END
