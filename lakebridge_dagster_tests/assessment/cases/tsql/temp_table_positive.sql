-- expect: TEMP_TABLE
-- lines: TEMP_TABLE@7 TEMP_TABLE@11
CREATE PROCEDURE dbo.temp_table_positive
AS
BEGIN
    SET NOCOUNT ON
    CREATE TABLE #stage (Id INT NOT NULL PRIMARY KEY, Name NVARCHAR(50))
    INSERT INTO #stage (Id, Name)
    SELECT Id, Name FROM dbo.Company
    SELECT s.Id, s.Name
    INTO ##shared_stage
    FROM #stage AS s
    DROP TABLE #stage
END
