-- expect: XML_JSON
-- type: VIEW
-- lines: XML_JSON@6 XML_JSON@8
CREATE VIEW dbo.xml_methods_positive
AS
SELECT r.Id, n.c.value('(Name)[1]', 'NVARCHAR(100)') AS Name
FROM dbo.Resume AS r
CROSS APPLY r.Document.nodes('/resume/job') AS n(c)
