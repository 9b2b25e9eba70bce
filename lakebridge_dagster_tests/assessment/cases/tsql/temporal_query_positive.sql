-- expect: TEMPORAL_TABLE
-- type: VIEW
CREATE VIEW dbo.temporal_query_positive
AS
SELECT w.Id, w.Name
FROM dbo.Worker FOR SYSTEM_TIME AS OF '2024-01-01' AS w
