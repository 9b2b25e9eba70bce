-- expect: none
-- type: VIEW
CREATE VIEW dbo.temporal_negative
AS
SELECT c.SystemTime, c.[SYSTEM_VERSIONING], 'FOR SYSTEM_TIME AS OF' AS Example -- SYSTEM_VERSIONING = ON
FROM dbo.Clock AS c
