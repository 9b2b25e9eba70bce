SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
-- Simple lookup used by the HR screen. Plain SQL only: transpiles completely.
CREATE PROCEDURE dbo.usp_GetWorkersByCompany
    @CompanyId        INT,
    @IncludeInactive  BIT = 0
AS
BEGIN
    SET NOCOUNT ON;

    SELECT
        w.Id,
        w.EmployeeNumber,
        w.FirstName,
        w.LastName,
        w.Trade,
        w.HourlyRate,
        w.IsActive
    FROM dbo.Worker AS w
    WHERE w.CompanyId = @CompanyId
      AND w.DeletedAt IS NULL
      AND (@IncludeInactive = 1 OR w.IsActive = 1)
    ORDER BY w.LastName, w.FirstName;
END
GO
