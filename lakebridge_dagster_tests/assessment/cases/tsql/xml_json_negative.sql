-- expect: none
-- type: VIEW
-- Columns called Value, Json and XmlData; .value without a call; FOR XML in a string.
CREATE VIEW dbo.xml_json_negative
AS
SELECT s.Value, s.[Json], s.XmlData, s.JsonText, 'FOR XML PATH' AS Example
FROM dbo.Setting AS s
WHERE s.Value <> N'OPENJSON(@x)'
