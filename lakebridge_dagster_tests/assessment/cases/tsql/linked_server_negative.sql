-- expect: none
-- database: Operations
-- Server-like names in strings, columns and comments; 3-part column references.
CREATE PROCEDURE dbo.linked_server_negative
AS
BEGIN
    SELECT 'SELECT * FROM OPENQUERY(ERP, ''x'')' AS Example,
           s.ServerName, s.[Linked], s.OpenQueryCount -- EXEC ('x') AT ERP_LINK
    FROM dbo.Servers AS s;
    UPDATE dbo.Servers SET dbo.Servers.ServerName = N'srv.db.dbo.t' WHERE Id = 1;
END
