-- expect: LINKED_SERVER
-- type: VIEW
-- lines: LINKED_SERVER@6
CREATE VIEW dbo.linked_server_openquery_positive
AS
SELECT e.* FROM OPENQUERY(ERP_LINK, 'SELECT asset_no FROM erp.assets') AS e
