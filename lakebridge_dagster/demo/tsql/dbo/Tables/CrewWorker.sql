-- Assignment of workers to crews (many-to-many). Composite primary key (CrewId, WorkerId).
CREATE TABLE [dbo].[CrewWorker] (
    [CrewId]        INT           NOT NULL,
    [WorkerId]      INT           NOT NULL,
    [Role]          NVARCHAR (30) NOT NULL CONSTRAINT [DF_CrewWorker_Role] DEFAULT (N'Member'),
    [AssignedAt]    DATETIME2 (0) NOT NULL CONSTRAINT [DF_CrewWorker_AssignedAt] DEFAULT (SYSUTCDATETIME()),
    [UnassignedAt]  DATETIME2 (0) NULL,
    CONSTRAINT [PK_CrewWorker] PRIMARY KEY CLUSTERED ([CrewId] ASC, [WorkerId] ASC),
    CONSTRAINT [FK_CrewWorker_Crew] FOREIGN KEY ([CrewId]) REFERENCES [dbo].[Crew] ([Id]) ON DELETE CASCADE,
    CONSTRAINT [FK_CrewWorker_Worker] FOREIGN KEY ([WorkerId]) REFERENCES [dbo].[Worker] ([Id]),
    CONSTRAINT [CK_CrewWorker_Role] CHECK ([Role] IN (N'Member', N'Foreman', N'Apprentice', N'SafetyOfficer')),
    CONSTRAINT [CK_CrewWorker_Dates] CHECK ([UnassignedAt] IS NULL OR [UnassignedAt] >= [AssignedAt])
);
GO
CREATE NONCLUSTERED INDEX [IX_CrewWorker_WorkerId]
    ON [dbo].[CrewWorker] ([WorkerId] ASC)
    INCLUDE ([UnassignedAt]);
GO
