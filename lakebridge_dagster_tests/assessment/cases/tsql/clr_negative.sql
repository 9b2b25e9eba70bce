-- expect: none
-- type: VIEW
CREATE VIEW dbo.clr_negative
AS
SELECT a.ExternalName, a.[External], 'AS EXTERNAL NAME x.y.z' AS Example
FROM dbo.Assemblies AS a
