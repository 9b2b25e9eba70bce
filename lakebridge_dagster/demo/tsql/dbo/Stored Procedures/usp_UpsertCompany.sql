-- Creates or updates a company by name. Written with the short CREATE PROC keyword.
-- Plain SQL only: transpiles completely.
CREATE PROC dbo.usp_UpsertCompany
    @Name         NVARCHAR(200),
    @CompanyType  NVARCHAR(30) = N'Subcontractor',
    @TaxNumber    NVARCHAR(50) = NULL
AS
BEGIN
    SET NOCOUNT ON;

    IF EXISTS (SELECT 1 FROM dbo.Company WHERE Name = @Name AND DeletedAt IS NULL)
    BEGIN
        UPDATE dbo.Company
        SET CompanyType = @CompanyType,
            TaxNumber   = @TaxNumber,
            UpdatedAt   = GETDATE()
        WHERE Name = @Name
          AND DeletedAt IS NULL;
    END
    ELSE
    BEGIN
        INSERT INTO dbo.Company (Name, CompanyType, TaxNumber)
        VALUES (@Name, @CompanyType, @TaxNumber);
    END;

    SELECT Id, Name, CompanyType, TaxNumber, CreatedAt, UpdatedAt
    FROM dbo.Company
    WHERE Name = @Name
      AND DeletedAt IS NULL;
END;
GO
