-- expect: none
-- type: VIEW
CREATE VIEW dbo.pivot_negative
AS
SELECT r.PivotDate, r.[Pivot], r.[Unpivot], 'PIVOT (SUM(x) FOR y IN ([1]))' AS Example -- PIVOT (
FROM dbo.Report AS r
