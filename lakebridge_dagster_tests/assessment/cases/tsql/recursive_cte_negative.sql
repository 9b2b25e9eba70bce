-- expect: none
-- type: VIEW
-- The second CTE reads the first; the first has a column named like itself.
CREATE VIEW dbo.recursive_cte_negative
AS
WITH Totals AS (SELECT t.Totals, t.Id FROM dbo.Sales AS t),
     Ranked AS (SELECT Id, RANK() OVER (ORDER BY Totals DESC) AS r FROM Totals)
SELECT Id, r FROM Ranked
