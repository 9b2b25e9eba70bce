-- expect: MERGE
-- MERGE without INTO, with a table hint, after a CTE.
CREATE PROCEDURE dbo.merge_hint_positive
AS
BEGIN
    WITH src AS (SELECT Id, Name FROM dbo.CompanyImport)
    MERGE dbo.Company WITH (HOLDLOCK) AS t
    USING src AS s ON t.Id = s.Id
    WHEN NOT MATCHED BY SOURCE THEN DELETE;
END
