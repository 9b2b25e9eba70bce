-- expect: IDENTITY
CREATE PROCEDURE dbo.identity_functions_positive
    @name NVARCHAR(100),
    @id INT OUTPUT
AS
BEGIN
    SET IDENTITY_INSERT dbo.Company ON;
    INSERT INTO dbo.Company (Name) VALUES (@name);
    SET @id = SCOPE_IDENTITY();
    SELECT @@IDENTITY AS LastIdentity, IDENT_CURRENT('dbo.Company') AS Current;
END
