-- expect: LINKED_SERVER, DYNAMIC_SQL
CREATE PROCEDURE dbo.linked_server_exec_at_positive
AS
BEGIN
    EXEC ('EXEC erp.refresh_rates') AT ERP_LINK;
    SELECT * FROM OPENROWSET('SQLNCLI', 'Server=erp;Trusted_Connection=yes;', 'SELECT 1 AS x') AS r;
END
