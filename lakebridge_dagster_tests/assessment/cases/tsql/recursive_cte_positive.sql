-- expect: RECURSIVE_CTE
-- type: VIEW
-- lines: RECURSIVE_CTE@11
CREATE VIEW dbo.recursive_cte_positive
AS
WITH tree (Id, ParentId, Depth) AS
(
    SELECT Id, ParentId, 0 FROM dbo.Zone WHERE ParentId IS NULL
    UNION ALL
    SELECT z.Id, z.ParentId, t.Depth + 1
    FROM dbo.Zone AS z JOIN tree AS t ON z.ParentId = t.Id
)
SELECT Id, Depth FROM tree
