-- Foreign keys added after all tables exist (they cross files and one is self-referencing).
-- Inline foreign keys are declared in the table files themselves.
ALTER TABLE [dbo].[Zone] WITH CHECK
    ADD CONSTRAINT [FK_Zone_Site] FOREIGN KEY ([SiteId]) REFERENCES [dbo].[Site] ([Id]);
GO
ALTER TABLE [dbo].[Zone] CHECK CONSTRAINT [FK_Zone_Site];
GO
ALTER TABLE dbo.Zone
    ADD CONSTRAINT FK_Zone_ParentZone FOREIGN KEY (ParentZoneId) REFERENCES dbo.Zone (Id);
GO
ALTER TABLE dbo.Crew
    ADD CONSTRAINT FK_Crew_Project FOREIGN KEY (ProjectId) REFERENCES dbo.Project (Id);
GO
ALTER TABLE dbo.Crew
    ADD CONSTRAINT FK_Crew_ForemanWorker FOREIGN KEY (ForemanWorkerId) REFERENCES dbo.Worker (Id);
GO
ALTER TABLE dbo.Device
    ADD CONSTRAINT FK_Device_Worker FOREIGN KEY (WorkerId) REFERENCES dbo.Worker (Id);
GO
ALTER TABLE [dbo].[DeviceLocation]
    ADD CONSTRAINT [FK_DeviceLocation_Worker] FOREIGN KEY ([WorkerId]) REFERENCES [dbo].[Worker] ([Id]),
        CONSTRAINT [FK_DeviceLocation_Zone] FOREIGN KEY ([ZoneId]) REFERENCES [dbo].[Zone] ([Id]);
GO
ALTER TABLE dbo.Attendance
    ADD CONSTRAINT FK_Attendance_Worker FOREIGN KEY (WorkerId) REFERENCES dbo.Worker (Id),
        CONSTRAINT FK_Attendance_Site FOREIGN KEY (SiteId) REFERENCES dbo.Site (Id);
GO
ALTER TABLE dbo.SafetyTicket
    ADD CONSTRAINT FK_SafetyTicket_Site FOREIGN KEY (SiteId) REFERENCES dbo.Site (Id);
GO
ALTER TABLE dbo.SafetyTicket
    ADD CONSTRAINT FK_SafetyTicket_Zone FOREIGN KEY (ZoneId) REFERENCES dbo.Zone (Id);
GO
ALTER TABLE dbo.SafetyTicket
    ADD CONSTRAINT FK_SafetyTicket_ReportedBy FOREIGN KEY (ReportedByWorkerId) REFERENCES dbo.Worker (Id);
GO
