-- Row-level audit trail written by triggers and ETL procedures.
CREATE TABLE [audit].[AuditLog] (
    [Id]             BIGINT           IDENTITY (1, 1) NOT NULL,
    [TableName]      SYSNAME          NOT NULL,
    [RecordId]       NVARCHAR (100)   NOT NULL,
    [Action]         CHAR (1)         NOT NULL,
    [OldValues]      NVARCHAR (MAX)   NULL,
    [NewValues]      NVARCHAR (MAX)   NULL,
    [ChangedBy]      NVARCHAR (128)   NOT NULL CONSTRAINT [DF_AuditLog_ChangedBy] DEFAULT (SUSER_SNAME()),
    [ChangedAt]      DATETIME2 (7)    NOT NULL CONSTRAINT [DF_AuditLog_ChangedAt] DEFAULT (SYSUTCDATETIME()),
    [CorrelationId]  UNIQUEIDENTIFIER NULL,
    CONSTRAINT [PK_AuditLog] PRIMARY KEY CLUSTERED ([Id] ASC),
    CONSTRAINT [CK_AuditLog_Action] CHECK ([Action] IN ('I', 'U', 'D'))
) ON [PRIMARY];
GO
CREATE NONCLUSTERED INDEX [IX_AuditLog_Table_Record]
    ON [audit].[AuditLog] ([TableName] ASC, [RecordId] ASC, [ChangedAt] DESC);
GO
