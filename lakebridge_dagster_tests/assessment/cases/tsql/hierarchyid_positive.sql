-- expect: HIERARCHYID
-- lines: HIERARCHYID@7 HIERARCHYID@9 HIERARCHYID@10
CREATE PROCEDURE dbo.hierarchyid_positive
    @managerId INT
AS
BEGIN
    DECLARE @node hierarchyid;
    SELECT @node = OrgNode FROM dbo.Employee WHERE Id = @managerId;
    SELECT e.Id, e.OrgNode.GetLevel() AS Depth
    FROM dbo.Employee AS e WHERE e.OrgNode.IsDescendantOf(@node) = 1 OR @node = hierarchyid::GetRoot();
END
