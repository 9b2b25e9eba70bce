-- expect: none
-- type: PROCEDURE
-- name: dbo.Ten Most Expensive Products
-- source: microsoft/sql-server-samples instnwnd.sql, line 517; MIT licence, see LICENSE-sql-server-samples.txt
create procedure "Ten Most Expensive Products" AS
SET ROWCOUNT 10
SELECT Products.ProductName AS TenMostExpensiveProducts, Products.UnitPrice
FROM Products
ORDER BY Products.UnitPrice DESC
