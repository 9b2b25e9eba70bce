-- expect: none
-- type: VIEW
CREATE VIEW dbo.identity_negative
AS
SELECT p.IdentityNumber, p.[Identity], 'IDENTITY(1,1)' AS Example -- SCOPE_IDENTITY()
FROM dbo.Passport AS p
