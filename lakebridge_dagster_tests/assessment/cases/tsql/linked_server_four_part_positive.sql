-- expect: LINKED_SERVER
-- type: VIEW
CREATE VIEW dbo.linked_server_four_part_positive
AS
SELECT r.RateId, r.Rate
FROM [ERP_LINK].[ERPDB].[erp].[HireRates] AS r
JOIN dbo.Equipment AS e ON e.RateId = r.RateId
