-- expect: TABLE_VARIABLE
-- lines: TABLE_VARIABLE@7
CREATE PROCEDURE dbo.table_variable_positive
AS
BEGIN
    SET NOCOUNT ON;
    DECLARE @ids TABLE (Id INT NOT NULL PRIMARY KEY);
    INSERT INTO @ids (Id) SELECT Id FROM dbo.Worker WHERE IsActive = 1;
    SELECT w.Id, w.Name FROM dbo.Worker AS w JOIN @ids AS i ON i.Id = w.Id;
END
