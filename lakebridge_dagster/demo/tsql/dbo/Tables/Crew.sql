-- A crew of workers on a project, led by a foreman.
-- Note the unnamed inline primary key and unnamed DEFAULT/CHECK (system-named constraints);
-- the foreign keys are added in ForeignKeys.sql.
CREATE TABLE dbo.Crew (
    Id               INT            IDENTITY(1,1) NOT NULL PRIMARY KEY,
    ProjectId        INT            NOT NULL,
    Name             NVARCHAR(100)  NOT NULL,
    ForemanWorkerId  INT            NULL,
    ShiftPattern     VARCHAR(10)    NOT NULL DEFAULT ('DAY') CHECK (ShiftPattern IN ('DAY', 'NIGHT', 'ROTATING')),
    CreatedAt        DATETIME       NOT NULL DEFAULT (GETDATE()),
    UpdatedAt        DATETIME       NULL,
    DeletedAt        DATETIME       NULL
);
GO -- end of batch
CREATE UNIQUE NONCLUSTERED INDEX UX_Crew_Project_Name
    ON dbo.Crew (ProjectId, Name)
    WHERE DeletedAt IS NULL;
GO -- end of batch
