SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
-- Active workers with their company and current crew (one row per current crew assignment).
CREATE VIEW [dbo].[vw_ActiveWorkers]
AS
SELECT
    w.Id                              AS WorkerId,
    w.EmployeeNumber,
    w.FirstName + N' ' + w.LastName   AS FullName,
    w.Trade,
    w.HourlyRate,
    c.Id                              AS CompanyId,
    c.Name                            AS CompanyName,
    cr.Id                             AS CrewId,
    cr.Name                           AS CrewName,
    cw.Role                           AS CrewRole,
    p.Code                            AS ProjectCode,
    w.UpdatedAt
FROM dbo.Worker AS w
INNER JOIN dbo.Company AS c
        ON c.Id = w.CompanyId
LEFT JOIN dbo.CrewWorker AS cw
       ON cw.WorkerId = w.Id
      AND cw.UnassignedAt IS NULL
LEFT JOIN dbo.Crew AS cr
       ON cr.Id = cw.CrewId
      AND cr.DeletedAt IS NULL
LEFT JOIN dbo.Project AS p
       ON p.Id = cr.ProjectId
WHERE w.IsActive = 1
  AND w.DeletedAt IS NULL
  AND c.DeletedAt IS NULL;
GO
