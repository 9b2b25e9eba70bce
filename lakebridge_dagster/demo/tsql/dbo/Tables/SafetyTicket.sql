SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
-- Safety observations and incidents. TicketNumber comes from the dbo.TicketNumberSeq sequence.
CREATE TABLE [dbo].[SafetyTicket] (
    [Id]                  INT            IDENTITY (1, 1) NOT NULL,
    [TicketNumber]        INT            NOT NULL CONSTRAINT [DF_SafetyTicket_TicketNumber] DEFAULT (NEXT VALUE FOR [dbo].[TicketNumberSeq]),
    [SiteId]              INT            NOT NULL,
    [ZoneId]              INT            NULL,
    [ReportedByWorkerId]  INT            NULL,
    [Severity]            TINYINT        NOT NULL,
    [Category]            NVARCHAR (50)  NOT NULL,
    [Description]         NVARCHAR (MAX) NULL,
    [Status]              NVARCHAR (20)  NOT NULL CONSTRAINT [DF_SafetyTicket_Status] DEFAULT (N'Open'),
    [OpenedAt]            DATETIME2 (0)  NOT NULL CONSTRAINT [DF_SafetyTicket_OpenedAt] DEFAULT (SYSUTCDATETIME()),
    [ClosedAt]            DATETIME2 (0)  NULL,
    [CreatedAt]           DATETIME2 (0)  NOT NULL CONSTRAINT [DF_SafetyTicket_CreatedAt] DEFAULT (SYSUTCDATETIME()),
    [UpdatedAt]           DATETIME2 (0)  NULL,
    [DeletedAt]           DATETIME2 (0)  NULL,
    CONSTRAINT [PK_SafetyTicket] PRIMARY KEY CLUSTERED ([Id] ASC),
    CONSTRAINT [UQ_SafetyTicket_TicketNumber] UNIQUE NONCLUSTERED ([TicketNumber] ASC),
    CONSTRAINT [CK_SafetyTicket_Severity] CHECK ([Severity] BETWEEN 1 AND 5),
    CONSTRAINT [CK_SafetyTicket_Status] CHECK ([Status] IN (N'Open', N'InProgress', N'Closed')),
    CONSTRAINT [CK_SafetyTicket_Closed] CHECK ([Status] <> N'Closed' OR [ClosedAt] IS NOT NULL)
) ON [PRIMARY];
GO
