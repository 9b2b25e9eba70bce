-- expect: IDENTITY
-- type: TABLE
-- lines: IDENTITY@6
CREATE TABLE dbo.identity_column_positive
(
    Id   INT IDENTITY(1, 1) NOT NULL PRIMARY KEY,
    Name NVARCHAR(100) NOT NULL
);
