-- expect: none
-- type: VIEW
CREATE VIEW dbo.hierarchyid_negative
AS
SELECT e.HierarchyLevel, e.[hierarchyid], 'hierarchyid::GetRoot()' AS Example
FROM dbo.Employee AS e
