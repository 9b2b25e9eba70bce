-- Daily check-in / check-out of a worker at a site.
-- The table was first deployed as a heap; its primary key was added afterwards
-- (the ALTER TABLE below), which is how it still is in production.
CREATE TABLE dbo.Attendance
(
    Id           BIGINT         IDENTITY(1,1) NOT NULL,
    WorkerId     INT            NOT NULL,
    SiteId       INT            NOT NULL,
    ShiftDate    DATE           NOT NULL,
    CheckInAt    DATETIME       NOT NULL,
    CheckOutAt   DATETIME       NULL,
    HoursWorked  DECIMAL(18,4)  NULL,
    Source       NVARCHAR(20)   NOT NULL CONSTRAINT DF_Attendance_Source DEFAULT (N'Device'),
    CreatedAt    DATETIME       NOT NULL CONSTRAINT DF_Attendance_CreatedAt DEFAULT (GETDATE()),
    UpdatedAt    DATETIME       NULL,
    DeletedAt    DATETIME       NULL,
    CONSTRAINT CK_Attendance_Source CHECK (Source IN (N'Device', N'Manual', N'Import')),
    CONSTRAINT CK_Attendance_Times CHECK (CheckOutAt IS NULL OR CheckOutAt >= CheckInAt),
    CONSTRAINT CK_Attendance_Hours CHECK (HoursWorked IS NULL OR HoursWorked BETWEEN 0 AND 24)
) ON [PRIMARY];
GO
ALTER TABLE dbo.Attendance
    ADD CONSTRAINT PK_Attendance PRIMARY KEY CLUSTERED (Id);
GO
CREATE UNIQUE NONCLUSTERED INDEX UX_Attendance_Worker_ShiftDate
    ON dbo.Attendance (WorkerId, ShiftDate)
    WHERE DeletedAt IS NULL;
GO
CREATE NONCLUSTERED INDEX IX_Attendance_Site_ShiftDate
    ON dbo.Attendance (SiteId, ShiftDate)
    INCLUDE (WorkerId, HoursWorked);
GO
