-- expect: XML_JSON
-- type: VIEW
-- lines: XML_JSON@7
CREATE VIEW dbo.xml_for_xml_positive
AS
SELECT c.Id,
       (SELECT o.Id FROM dbo.[Order] AS o WHERE o.CustomerId = c.Id FOR XML PATH('order'), TYPE) AS Orders
FROM dbo.Customer AS c
