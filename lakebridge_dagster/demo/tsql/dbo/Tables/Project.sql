-- A construction project run by one company (the general contractor).
CREATE TABLE dbo.Project
(
    Id           INT            IDENTITY(1,1) NOT NULL CONSTRAINT PK_Project PRIMARY KEY CLUSTERED,
    CompanyId    INT            NOT NULL CONSTRAINT FK_Project_Company REFERENCES dbo.Company (Id),
    Code         NVARCHAR(30)   NOT NULL,
    Name         NVARCHAR(200)  NOT NULL,
    Description  NVARCHAR(MAX)  NULL,
    StartDate    DATE           NOT NULL,
    EndDate      DATE           NULL,
    Budget       DECIMAL(18,4)  NULL,
    IsActive     BIT            NOT NULL CONSTRAINT DF_Project_IsActive DEFAULT (1),
    CreatedAt    DATETIME       NOT NULL CONSTRAINT DF_Project_CreatedAt DEFAULT (GETDATE()),
    UpdatedAt    DATETIME       NULL,
    DeletedAt    DATETIME       NULL,
    CONSTRAINT UQ_Project_Code UNIQUE NONCLUSTERED (Code),
    CONSTRAINT CK_Project_Dates CHECK (EndDate IS NULL OR EndDate >= StartDate),
    CONSTRAINT CK_Project_Budget CHECK (Budget IS NULL OR Budget >= 0)
) ON [PRIMARY];
go
CREATE NONCLUSTERED INDEX IX_Project_CompanyId
    ON dbo.Project (CompanyId)
    INCLUDE (Name, IsActive);
go
