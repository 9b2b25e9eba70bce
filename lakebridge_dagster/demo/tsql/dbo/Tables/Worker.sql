SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
-- Workers are system-versioned: every change is kept in dbo.WorkerHistory.
-- SQL Server creates dbo.WorkerHistory itself when versioning is switched on (the
-- rowversion column becomes binary(8) there), so it has no script of its own.
-- RowVer is the incremental-load watermark of this table.
CREATE TABLE [dbo].[Worker]
(
    [Id]              INT            IDENTITY(1,1) NOT NULL,
    [CompanyId]       INT            NOT NULL,
    [EmployeeNumber]  NVARCHAR(30)   NOT NULL,
    [FirstName]       NVARCHAR(100)  NOT NULL,
    [LastName]        NVARCHAR(100)  NOT NULL,
    [Email]           NVARCHAR(256)  NULL,
    [Phone]           NVARCHAR(32)   NULL,
    [Trade]           NVARCHAR(50)   NULL,
    [HourlyRate]      DECIMAL(18,4)  NOT NULL CONSTRAINT [DF_Worker_HourlyRate] DEFAULT (0),
    [IsActive]        BIT            NOT NULL CONSTRAINT [DF_Worker_IsActive] DEFAULT (1),
    [Notes]           NVARCHAR(MAX)  NULL,
    [RowVer]          ROWVERSION     NOT NULL,
    [CreatedAt]       DATETIME2(7)   NOT NULL CONSTRAINT [DF_Worker_CreatedAt] DEFAULT (SYSUTCDATETIME()),
    [UpdatedAt]       DATETIME2(7)   NULL,
    [DeletedAt]       DATETIME2(7)   NULL,
    [ValidFrom]       DATETIME2(7)   GENERATED ALWAYS AS ROW START HIDDEN NOT NULL,
    [ValidTo]         DATETIME2(7)   GENERATED ALWAYS AS ROW END HIDDEN NOT NULL,
    PERIOD FOR SYSTEM_TIME ([ValidFrom], [ValidTo]),
    CONSTRAINT [PK_Worker] PRIMARY KEY CLUSTERED ([Id] ASC),
    CONSTRAINT [UQ_Worker_EmployeeNumber] UNIQUE NONCLUSTERED ([CompanyId] ASC, [EmployeeNumber] ASC),
    CONSTRAINT [CK_Worker_HourlyRate] CHECK ([HourlyRate] >= 0),
    CONSTRAINT [FK_Worker_Company] FOREIGN KEY ([CompanyId]) REFERENCES [dbo].[Company] ([Id])
) ON [PRIMARY]
WITH
(
    SYSTEM_VERSIONING = ON (HISTORY_TABLE = [dbo].[WorkerHistory], DATA_CONSISTENCY_CHECK = ON)
);
GO
CREATE NONCLUSTERED INDEX [IX_Worker_LastName]
    ON [dbo].[Worker] ([LastName] ASC, [FirstName] ASC)
    INCLUDE ([CompanyId], [IsActive]);
GO
