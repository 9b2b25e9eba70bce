-- expect: MERGE
-- lines: MERGE@5
CREATE PROCEDURE dbo.merge_positive
AS
MERGE INTO dbo.Company AS t
USING dbo.CompanyImport AS s
    ON t.Id = s.Id
WHEN MATCHED THEN UPDATE SET t.Name = s.Name
WHEN NOT MATCHED THEN INSERT (Id, Name) VALUES (s.Id, s.Name);
