-- Deterministic synthetic data for the demo schema (postgres_schema.sql).
--
-- Run by lakebridge_dagster.demo.seed right after the schema, in the same transaction,
-- with TimeZone = UTC and search_path = public. Statements are separated by a line that
-- is exactly the marker comment used below; each one is executed on its own with the
-- bound parameters (fact_rows: rows in each fact table). Because every statement goes
-- through psycopg's placeholder parser, this file never uses the percent character
-- except in placeholders: write mod(a, b), not the operator.
--
-- No random(): every value is a function of the generate_series number, so two seeds
-- give identical rows, and every foreign key is computed to point at an existing row.
--
-- Shape: 6 company types, 60 companies, 40 activities, 120 projects (2 sites each),
-- 240 sites (5 zones each), 1200 zones, 3000 workers, 300 crews, 2500 devices,
-- 600 machines. Worker w belongs to crew mod(w-1, 300)+1, whose project is
-- mod(crew-1, 120)+1; project p owns sites p and p+120; site s owns zones
-- s, s+240, ..., s+960; device d is worn by worker d.

-- statement
INSERT INTO "CompanyType" ("Id", "Name", "Description", "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT n,
       (ARRAY['General Contractor', 'Subcontractor', 'Supplier', 'Consultant', 'Owner',
              'Staffing Agency'])[n],
       'Companies acting as ' || lower((ARRAY['General Contractor', 'Subcontractor', 'Supplier',
              'Consultant', 'Owner', 'Staffing Agency'])[n]),
       TIMESTAMPTZ '2023-01-01 00:00:00+00' + n * INTERVAL '1 hour',
       CASE WHEN mod(n, 2) = 0 THEN TIMESTAMPTZ '2023-06-01 00:00:00+00' + n * INTERVAL '1 day' END,
       NULL
FROM generate_series(1, 6) AS n
ORDER BY 1;

-- statement
INSERT INTO "Company" ("Id", "CompanyTypeId", "Name", "ExternalId", "CreditLimit", "Settings",
                       "Website", "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT n,
       mod(n - 1, 6) + 1,
       (ARRAY['Atlas', 'Beacon', 'Cedar', 'Delta', 'Everest', 'Falcon', 'Granite', 'Harbor',
              'Iron', 'Juniper', 'Keystone', 'Lumen'])[mod(n - 1, 12) + 1]
           || ' ' || (ARRAY['Builders', 'Construction', 'Engineering', 'Steel',
                            'Scaffolding'])[mod((n - 1) / 12, 5) + 1]
           || ' ' || n,
       md5('company-' || n)::uuid,
       CASE WHEN mod(n, 7) = 0 THEN NULL ELSE round((50000 + mod(n * 7919, 950000))::numeric, 2) END,
       jsonb_build_object('currency', (ARRAY['AED', 'SAR', 'USD'])[mod(n, 3) + 1],
                          'invoiceDay', mod(n, 28) + 1,
                          'features', jsonb_build_array('tracking', CASE WHEN mod(n, 2) = 0
                                                        THEN 'payroll' ELSE 'safety' END)),
       CASE WHEN mod(n, 5) = 0 THEN NULL ELSE 'https://company' || n || '.example.com' END,
       TIMESTAMPTZ '2023-01-02 00:00:00+00' + n * INTERVAL '3 hours',
       CASE WHEN mod(n, 4) <> 0
            THEN TIMESTAMPTZ '2023-01-02 00:00:00+00' + n * INTERVAL '3 hours'
                 + (mod(n, 30) + 1) * INTERVAL '1 day' END,
       CASE WHEN mod(n, 17) = 0
            THEN TIMESTAMPTZ '2023-01-02 00:00:00+00' + n * INTERVAL '3 hours'
                 + (mod(n, 30) + 2) * INTERVAL '1 day' END
FROM generate_series(1, 60) AS n
ORDER BY 1;

-- statement
INSERT INTO "Activity" ("Id", "Code", "Name", "ParentActivityId", "StandardDuration", "IsBillable",
                        "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT n,
       'ACT-' || lpad(n::text, 3, '0'),
       (ARRAY['Excavation', 'Formwork', 'Rebar', 'Concrete', 'Masonry', 'Steel Erection',
              'Electrical', 'Plumbing'])[mod(n - 1, 8) + 1]
           || CASE WHEN n > 8 THEN ' - stage ' || ((n - 1) / 8) ELSE '' END,
       CASE WHEN n > 8 THEN mod(n - 1, 8) + 1 END,
       (mod(n, 6) + 1) * INTERVAL '2 hours' + mod(n, 4) * INTERVAL '15 minutes',
       mod(n, 9) <> 0,
       TIMESTAMPTZ '2023-01-03 00:00:00+00' + n * INTERVAL '1 hour',
       CASE WHEN mod(n, 4) <> 0 THEN TIMESTAMPTZ '2023-03-01 00:00:00+00' + n * INTERVAL '1 day' END,
       CASE WHEN n = 34 THEN TIMESTAMPTZ '2023-05-01 00:00:00+00' END
FROM generate_series(1, 40) AS n
ORDER BY 1;

-- statement
INSERT INTO "Project" ("Id", "CompanyId", "Code", "Name", "Status", "StartDate", "EndDate",
                       "Budget", "Tags", "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT n,
       mod(n - 1, 60) + 1,
       'PRJ-' || lpad(n::text, 4, '0'),
       (ARRAY['Marina', 'Downtown', 'Airport', 'Harbour', 'Desert', 'Central', 'North', 'South'])
           [mod(n - 1, 8) + 1]
           || ' ' || (ARRAY['Tower', 'Mall', 'Hospital', 'Bridge', 'Metro Station'])
           [mod((n - 1) / 8, 5) + 1] || ' ' || n,
       (ARRAY['planned', 'active', 'active', 'active', 'on_hold', 'closed'])[mod(n, 6) + 1],
       DATE '2023-01-01' + mod(n * 11, 365),
       CASE WHEN mod(n, 6) = 5 THEN DATE '2024-01-01' + mod(n * 11, 365) END,
       round((1000000 + mod(n * 104729, 99000000))::numeric / 7, 2),
       ARRAY['phase-' || (mod(n, 3) + 1)]
           || CASE WHEN mod(n, 2) = 0 THEN ARRAY['high-rise'] ELSE ARRAY[]::text[] END
           || CASE WHEN mod(n, 5) = 0 THEN ARRAY['government', 'priority'] ELSE ARRAY[]::text[] END,
       TIMESTAMPTZ '2023-01-05 00:00:00+00' + n * INTERVAL '5 hours',
       CASE WHEN mod(n, 4) <> 0
            THEN TIMESTAMPTZ '2023-02-01 00:00:00+00' + n * INTERVAL '1 day' END,
       CASE WHEN mod(n, 4) <> 0 AND mod(n, 17) = 0
            THEN TIMESTAMPTZ '2023-02-02 00:00:00+00' + n * INTERVAL '1 day' END
FROM generate_series(1, 120) AS n
ORDER BY 1;

-- statement
INSERT INTO "Site" ("Id", "ProjectId", "Name", "Address", "Location", "TimeZone",
                    "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT n,
       mod(n - 1, 120) + 1,
       'Site ' || n || CASE WHEN n > 120 THEN ' (annex)' ELSE ' (main)' END,
       CASE WHEN mod(n, 9) = 0 THEN NULL
            ELSE (mod(n * 37, 900) + 1) || ' ' || (ARRAY['Corniche Rd', 'Airport Rd', 'Sheikh Zayed Rd',
                  'Al Khaleej St', 'Hamdan St'])[mod(n, 5) + 1] END,
       point(54.30::float8 + mod(n * 53, 100) * 0.01::float8,
             24.40::float8 + mod(n * 37, 100) * 0.01::float8),
       (ARRAY['Asia/Dubai', 'Asia/Riyadh', 'UTC'])[mod(n, 3) + 1],
       TIMESTAMPTZ '2023-01-10 00:00:00+00' + n * INTERVAL '2 hours',
       CASE WHEN mod(n, 4) <> 0 THEN TIMESTAMPTZ '2023-04-01 00:00:00+00' + n * INTERVAL '6 hours' END,
       NULL
FROM generate_series(1, 240) AS n
ORDER BY 1;

-- statement
INSERT INTO "Zone" ("Id", "SiteId", "Name", "Coordinates", "FloorLevel", "MaxOccupancy",
                    "IsRestricted", "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT z.n,
       z.site,
       'Zone ' || chr(65 + z.k) || '-' || z.site,
       polygon(box(point(z.lon, z.lat), point(z.lon + 0.001::float8, z.lat + 0.0008::float8))),
       (mod(z.n, 4) - 1)::smallint,
       CASE WHEN mod(z.n, 10) = 0 THEN NULL ELSE 10 + mod(z.n * 13, 90) END,
       mod(z.n, 11) = 0,
       TIMESTAMPTZ '2023-02-01 00:00:00+00' + z.n * INTERVAL '10 minutes',
       CASE WHEN mod(z.n, 4) <> 0 THEN TIMESTAMPTZ '2023-05-01 00:00:00+00' + z.n * INTERVAL '1 hour' END,
       CASE WHEN mod(z.n, 4) <> 0 AND mod(z.n, 17) = 0
            THEN TIMESTAMPTZ '2023-05-02 00:00:00+00' + z.n * INTERVAL '1 hour' END
FROM (
    SELECT n,
           mod(n - 1, 240) + 1 AS site,
           (n - 1) / 240 AS k,
           54.30::float8 + mod((mod(n - 1, 240) + 1) * 53, 100) * 0.01::float8
               + ((n - 1) / 240) * 0.001::float8 AS lon,
           24.40::float8 + mod((mod(n - 1, 240) + 1) * 37, 100) * 0.01::float8 AS lat
    FROM generate_series(1, 1200) AS n
) AS z
ORDER BY z.n;

-- statement
-- The AFTER INSERT trigger writes one "WorkerHistory" row per worker (ChangedAt = CreatedAt).
INSERT INTO "Worker" ("Id", "CompanyId", "FirstName", "LastName", "Email", "BadgeUid",
                      "HourlyRate", "HireDate", "Skills", "Photo", "IsActive",
                      "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT n,
       mod(n * 7 - 1, 60) + 1,
       (ARRAY['Ahmed', 'Maria', 'John', 'Fatima', 'Ravi', 'Chen', 'Olga', 'Pedro', 'Aisha', 'Tom',
              'Nadia', 'Samuel', 'Yuki', 'Omar', 'Grace', 'Ivan', 'Leila', 'Carlos', 'Mei',
              'David'])[mod(n - 1, 20) + 1],
       (ARRAY['Khan', 'Silva', 'Smith', 'Haddad', 'Patel', 'Wang', 'Petrova', 'Garcia', 'Rahman',
              'Brown', 'Aziz', 'Okafor', 'Tanaka', 'Saleh', 'Mensah', 'Novak', 'Karimi', 'Lopez',
              'Lin', 'Cohen'])[mod((n - 1) / 20, 20) + 1],
       'worker' || n || '@' || 'company' || (mod(n * 7 - 1, 60) + 1) || '.example.com',
       md5('badge-' || n)::uuid,
       round((25 + mod(n * 31, 5000) / 100.0)::numeric, 2),
       DATE '2020-01-01' + mod(n * 17, 1400),
       CASE WHEN mod(n, 6) = 0 THEN NULL
            ELSE ARRAY[(ARRAY['welding', 'rigging', 'carpentry', 'electrical', 'plumbing',
                              'masonry', 'crane', 'first-aid'])[mod(n, 8) + 1]]
                 || CASE WHEN mod(n, 3) = 0
                         THEN ARRAY[(ARRAY['scaffolding', 'forklift', 'surveying'])[mod(n, 3) + 1]]
                         ELSE ARRAY[]::text[] END END,
       CASE WHEN mod(n, 5) = 0 THEN NULL ELSE decode(md5('photo-' || n), 'hex') END,
       mod(n, 23) <> 0,
       TIMESTAMPTZ '2023-03-01 00:00:00+00' + n * INTERVAL '7 minutes',
       CASE WHEN mod(n, 4) <> 0
            THEN TIMESTAMPTZ '2023-09-01 00:00:00+00' + n * INTERVAL '11 minutes' END,
       CASE WHEN mod(n, 4) <> 0 AND mod(n, 17) = 0
            THEN TIMESTAMPTZ '2023-09-02 00:00:00+00' + n * INTERVAL '11 minutes' END
FROM generate_series(1, 3000) AS n
ORDER BY 1;

-- statement
INSERT INTO "Crew" ("Id", "ProjectId", "Name", "LeaderWorkerId", "UtilisationPct",
                    "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT n,
       mod(n - 1, 120) + 1,
       (ARRAY['Alpha', 'Bravo', 'Charlie', 'Echo', 'Foxtrot', 'Kilo'])[mod(n - 1, 6) + 1]
           || ' Crew ' || n,
       CASE WHEN mod(n, 10) = 0 THEN NULL ELSE n END,
       NULL,
       TIMESTAMPTZ '2023-03-01 00:00:00+00' + n * INTERVAL '1 hour',
       CASE WHEN mod(n, 4) <> 0 THEN TIMESTAMPTZ '2023-10-01 00:00:00+00' + n * INTERVAL '1 hour' END,
       NULL
FROM generate_series(1, 300) AS n
ORDER BY 1;

-- statement
INSERT INTO "Device" ("Id", "SerialNumber", "Name", "Model", "FirmwareVersion", "IpAddress",
                      "IsActive", "LastSeenAt", "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT n,
       'WC-' || lpad(to_hex(n::bigint * 2654435), 10, '0'),
       'Tag ' || n,
       (ARRAY['WakeTag 2', 'WakeTag 3', 'WakeTag 3 Pro'])[mod(n, 3) + 1],
       CASE WHEN mod(n, 12) = 0 THEN NULL ELSE '3.' || mod(n, 4) || '.' || mod(n * 7, 10) END,
       CASE WHEN mod(n, 15) = 0 THEN NULL
            ELSE ('10.' || (mod(n / 250, 250) + 1) || '.' || mod(n, 250) || '.' || (mod(n * 7, 250) + 1))::inet
       END,
       mod(n, 29) <> 0,
       TIMESTAMPTZ '2024-03-17 18:00:00+00' - mod(n, 720) * INTERVAL '1 minute',
       TIMESTAMPTZ '2023-06-01 00:00:00+00' + n * INTERVAL '5 minutes',
       CASE WHEN mod(n, 4) <> 0 THEN TIMESTAMPTZ '2024-01-10 00:00:00+00' + n * INTERVAL '3 minutes' END,
       CASE WHEN mod(n, 4) <> 0 AND mod(n, 29) = 0
            THEN TIMESTAMPTZ '2024-01-11 00:00:00+00' + n * INTERVAL '3 minutes' END
FROM generate_series(1, 2500) AS n
ORDER BY 1;

-- statement
INSERT INTO "Equipment" ("Id", "CompanyId", "SiteId", "Name", "Kind", "PurchasePrice",
                         "PurchaseDate", "Specs", "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT n,
       mod(n - 1, 60) + 1,
       CASE WHEN mod(n, 25) = 0 THEN NULL ELSE mod(n - 1, 240) + 1 END,
       (ARRAY['Tower Crane', 'Excavator', 'Concrete Pump', 'Generator', 'Forklift',
              'Boom Lift'])[mod(n - 1, 6) + 1] || ' #' || n,
       (ARRAY['crane', 'earthmoving', 'concrete', 'power', 'handling', 'access'])[mod(n - 1, 6) + 1],
       CASE WHEN mod(n, 8) = 0 THEN NULL ELSE round((20000 + mod(n * 7919, 480000))::numeric, 2) END,
       DATE '2019-01-01' + mod(n * 29, 1800),
       CASE WHEN mod(n, 3) = 0 THEN NULL
            ELSE jsonb_build_object('weightKg', 1000 + mod(n * 97, 40000),
                                    'fuel', (ARRAY['diesel', 'electric'])[mod(n, 2) + 1]) END,
       TIMESTAMPTZ '2023-04-01 00:00:00+00' + n * INTERVAL '30 minutes',
       CASE WHEN mod(n, 4) <> 0 THEN TIMESTAMPTZ '2023-11-01 00:00:00+00' + n * INTERVAL '1 hour' END,
       CASE WHEN mod(n, 4) <> 0 AND mod(n, 31) = 0
            THEN TIMESTAMPTZ '2023-11-02 00:00:00+00' + n * INTERVAL '1 hour' END
FROM generate_series(1, 600) AS n
ORDER BY 1;

-- statement
-- Every worker in one crew; every fifth worker also in the crew 150 further on.
INSERT INTO "CrewWorker" ("CrewId", "WorkerId", "IsLead", "AssignedAt", "CreatedAt",
                          "UpdatedAt", "DeletedAt")
SELECT cw.crew,
       cw.worker,
       cw.secondary = 0 AND cw.worker = cw.crew AND mod(cw.crew, 10) <> 0,
       TIMESTAMPTZ '2023-10-01 06:00:00+00' + cw.worker * INTERVAL '5 minutes' + cw.secondary * INTERVAL '30 days',
       TIMESTAMPTZ '2023-10-01 06:00:00+00' + cw.worker * INTERVAL '5 minutes' + cw.secondary * INTERVAL '30 days',
       CASE WHEN mod(cw.worker + cw.secondary, 4) = 0
            THEN TIMESTAMPTZ '2024-02-01 00:00:00+00' + cw.worker * INTERVAL '1 minute' END,
       CASE WHEN cw.secondary = 1 AND mod(cw.worker, 20) = 0
            THEN TIMESTAMPTZ '2024-02-15 00:00:00+00' + cw.worker * INTERVAL '1 minute' END
FROM (
    SELECT mod(n - 1, 300) + 1 AS crew, n AS worker, 0 AS secondary
    FROM generate_series(1, 3000) AS n
    UNION ALL
    SELECT mod(n - 1 + 150, 300) + 1, n, 1
    FROM generate_series(5, 3000, 5) AS n
) AS cw
ORDER BY cw.crew, cw.worker;

-- statement
INSERT INTO "WorkerProject" ("Id", "WorkerId", "ProjectId", "Role", "StartDate", "EndDate",
                             "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT row_number() OVER (ORDER BY wp.worker, wp.project),
       wp.worker,
       wp.project,
       CASE WHEN wp.lead THEN 'foreman'
            ELSE (ARRAY['labourer', 'operator', 'technician', 'engineer'])[mod(wp.worker, 4) + 1] END,
       DATE '2023-10-01' + mod(wp.worker, 60),
       CASE WHEN wp.secondary = 1 THEN DATE '2024-02-29' END,
       TIMESTAMPTZ '2023-10-01 00:00:00+00' + wp.worker * INTERVAL '5 minutes',
       CASE WHEN mod(wp.worker, 3) = 0 THEN TIMESTAMPTZ '2024-01-05 00:00:00+00' + wp.worker * INTERVAL '1 minute' END,
       NULL
FROM (
    SELECT cw."WorkerId" AS worker, c."ProjectId" AS project, bool_or(cw."IsLead") AS lead,
           min(CASE WHEN mod(cw."WorkerId" - 1, 300) + 1 = cw."CrewId" THEN 0 ELSE 1 END) AS secondary
    FROM "CrewWorker" AS cw
    JOIN "Crew" AS c ON c."Id" = cw."CrewId"
    GROUP BY cw."WorkerId", c."ProjectId"
) AS wp
ORDER BY wp.worker, wp.project;

-- statement
INSERT INTO "ZoneActivity" ("Id", "ZoneId", "ActivityId", "PlannedHours", "CreatedAt",
                            "UpdatedAt", "DeletedAt")
SELECT (z - 1) * 3 + k + 1,
       z,
       mod(z * 3 + k * 7, 40) + 1,
       (8 * (1 + mod(z + k, 20)))::numeric(8,2),
       TIMESTAMPTZ '2023-06-01 00:00:00+00' + z * INTERVAL '1 hour',
       CASE WHEN mod(z + k, 4) <> 0 THEN TIMESTAMPTZ '2024-01-01 00:00:00+00' + z * INTERVAL '1 hour' END,
       CASE WHEN mod(z + k, 4) <> 0 AND mod(z + k, 19) = 0
            THEN TIMESTAMPTZ '2024-01-02 00:00:00+00' + z * INTERVAL '1 hour' END
FROM generate_series(1, 1200) AS z
CROSS JOIN generate_series(0, 2) AS k
ORDER BY 1;

-- statement
-- Current assignment (device d worn by worker d) plus, for every fifth device, a closed
-- earlier one; "TicketNumber" comes from "TicketNumberSeq" in "Id" order.
INSERT INTO "DeviceAssignment" ("Id", "DeviceId", "WorkerId", "AssignedFrom", "AssignedTo",
                                "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT da.id, da.device, da.worker, da.assigned_from, da.assigned_to,
       da.assigned_from,
       da.assigned_to,
       NULL
FROM (
    SELECT d AS id, d AS device, d AS worker,
           TIMESTAMPTZ '2024-01-15 07:00:00+00' + d * INTERVAL '1 minute' AS assigned_from,
           NULL::timestamptz AS assigned_to
    FROM generate_series(1, 2500) AS d
    UNION ALL
    SELECT 2500 + d / 5, d, 2500 + mod(d / 5 - 1, 500) + 1,
           TIMESTAMPTZ '2023-06-01 07:00:00+00' + d * INTERVAL '1 minute',
           TIMESTAMPTZ '2024-01-14 17:00:00+00' + d * INTERVAL '1 minute'
    FROM generate_series(5, 2500, 5) AS d
) AS da
ORDER BY da.id;

-- statement
INSERT INTO "Crew Shift" ("Id", "CrewId", "ShiftDate", "StartTime", "Duration",
                          "SupervisorWorkerId", "Notes", "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT row_number() OVER (ORDER BY c, d),
       c,
       DATE '2024-03-04' + d,
       TIME '06:00' + mod(c, 3) * INTERVAL '2 hours',
       INTERVAL '8 hours' + mod(c + d, 3) * INTERVAL '30 minutes',
       CASE WHEN mod(c, 10) = 0 THEN NULL ELSE c END,
       CASE WHEN mod(c + d, 7) = 0 THEN 'Toolbox talk: ' || (ARRAY['heat stress', 'working at height',
            'lifting plan', 'housekeeping'])[mod(c + d, 4) + 1] END,
       TIMESTAMPTZ '2024-02-26 00:00:00+00' + c * INTERVAL '1 minute' + d * INTERVAL '1 day',
       CASE WHEN mod(c + d, 3) = 0
            THEN TIMESTAMPTZ '2024-03-01 00:00:00+00' + c * INTERVAL '1 minute' + d * INTERVAL '1 day' END,
       CASE WHEN mod(c + d, 3) = 0 AND mod(c + d, 41) = 0
            THEN TIMESTAMPTZ '2024-03-02 00:00:00+00' + c * INTERVAL '1 minute' + d * INTERVAL '1 day' END
FROM generate_series(1, 300) AS c
CROSS JOIN generate_series(0, 13) AS d
WHERE mod(d, 7) < 5
ORDER BY 1;

-- statement
-- Two weeks from Monday 2024-03-04 for two workers in three; a few absences, some
-- weekend work, some open check-ins, and some missing "HoursWorked" (the cursor
-- procedure sp_recalculate_attendance_hours fills them).
INSERT INTO "Attendance" ("Id", "WorkerId", "SiteId", "WorkDate", "CheckIn", "CheckOut",
                          "HoursWorked", "CreatedAt", "UpdatedAt", "DeletedAt")
SELECT row_number() OVER (ORDER BY a.w, a.d),
       a.w,
       a.site,
       a.work_date,
       a.check_in,
       a.check_out,
       CASE WHEN a.check_out IS NULL OR mod(a.w + a.d, 9) = 0 THEN NULL
            ELSE round(EXTRACT(EPOCH FROM a.check_out - a.check_in) / 3600.0, 2) END,
       a.check_in + INTERVAL '1 minute',
       CASE WHEN a.check_out IS NOT NULL THEN a.check_out + INTERVAL '1 minute' END,
       CASE WHEN mod(a.w + a.d, 53) = 0 THEN a.check_in + INTERVAL '2 days' END
FROM (
    SELECT w, d,
           mod(mod(w - 1, 300), 120) + 1 + 120 * mod(w, 2) AS site,
           DATE '2024-03-04' + d AS work_date,
           (DATE '2024-03-04' + d + TIME '06:00') AT TIME ZONE 'UTC'
               + mod(w, 60) * INTERVAL '1 minute' AS check_in,
           CASE WHEN d = 13 AND mod(w, 13) = 0 THEN NULL
                ELSE (DATE '2024-03-04' + d + TIME '06:00') AT TIME ZONE 'UTC'
                     + mod(w, 60) * INTERVAL '1 minute'
                     + INTERVAL '8 hours' + mod(w + d, 5) * INTERVAL '15 minutes' END AS check_out
    FROM generate_series(1, 3000) AS w
    CROSS JOIN generate_series(0, 13) AS d
    WHERE mod(w, 3) <> 0
      AND (mod(d, 7) < 5 OR mod(w, 7) = 0)
      AND mod(w * 31 + d, 11) <> 0
) AS a
ORDER BY a.w, a.d;

-- statement
-- Earlier versions of changed workers (the trigger already recorded their INSERTs).
INSERT INTO "WorkerHistory" ("WorkerId", "Operation", "ChangedAt", "ChangedBy", "OldRow", "NewRow")
SELECT w."Id",
       'UPDATE',
       w."UpdatedAt",
       'app_user_' || mod(w."Id", 5),
       to_jsonb(w) || jsonb_build_object('HourlyRate', w."HourlyRate" - 1.50, 'UpdatedAt', NULL),
       to_jsonb(w)
FROM "Worker" AS w
WHERE w."UpdatedAt" IS NOT NULL
ORDER BY w."Id";

-- statement
-- One to three outline versions per zone; the last one is open (ValidTo NULL) and
-- equals the zone's current outline.
INSERT INTO "ZoneHistory" ("ZoneId", "Name", "Coordinates", "ValidFrom", "ValidTo",
                           "ChangedBy", "CreatedAt")
SELECT z."Id",
       z."Name" || CASE WHEN v.v < v.versions - 1 THEN ' (rev ' || (v.v + 1) || ')' ELSE '' END,
       CASE WHEN v.v = v.versions - 1 THEN z."Coordinates"
            ELSE polygon(box(z."Coordinates")
                         + point(-(v.versions - 1 - v.v) * 0.0001::float8, 0::float8)) END,
       z."CreatedAt" + v.v * INTERVAL '30 days',
       CASE WHEN v.v < v.versions - 1 THEN z."CreatedAt" + (v.v + 1) * INTERVAL '30 days' END,
       CASE WHEN v.v = 0 THEN 'import' ELSE 'planner_' || mod(z."Id", 4) END,
       z."CreatedAt" + v.v * INTERVAL '30 days'
FROM "Zone" AS z
CROSS JOIN LATERAL (
    SELECT g AS v, 1 + mod(z."Id", 3) AS versions
    FROM generate_series(0, mod(z."Id", 3)) AS g
) AS v
ORDER BY z."Id", v.v;

-- statement
-- Fact: location pings, fact_rows of them, one every 6 seconds across all devices.
INSERT INTO "DeviceLocation" ("Id", "DeviceId", "WorkerId", "ZoneId", "Latitude", "Longitude",
                              "Accuracy", "Battery", "RecordedAt", "CreatedAt", "UpdatedAt")
SELECT g.n,
       g.device,
       CASE WHEN mod(g.n, 97) = 0 THEN NULL ELSE g.device END,
       CASE WHEN mod(g.n, 41) = 0 THEN NULL ELSE g.site + 240 * g.k END,
       24.40::float8 + mod(g.site * 37, 100) * 0.01::float8
           + mod(g.n * 104729, 800) * 0.000001::float8,
       54.30::float8 + mod(g.site * 53, 100) * 0.01::float8 + g.k * 0.001::float8
           + mod(g.n * 7919, 1000) * 0.000001::float8,
       (3 + mod(g.n, 17) * 0.5::float8)::real,
       (100 - mod(g.n / 2500, 90))::smallint,
       g.recorded_at,
       g.recorded_at + (1 + mod(g.n, 5)) * INTERVAL '1 second',
       CASE WHEN mod(g.n, 50) = 0 THEN g.recorded_at + INTERVAL '1 hour' END
FROM (
    SELECT n,
           mod(n - 1, 2500) + 1 AS device,
           mod(mod(mod(n - 1, 2500), 300), 120) + 1 + 120 * mod(n, 2) AS site,
           mod(n / 3, 5) AS k,
           TIMESTAMPTZ '2024-03-04 06:00:00+00' + n * INTERVAL '6 seconds' AS recorded_at
    FROM generate_series(1::bigint, %(fact_rows)s::bigint) AS n
) AS g
ORDER BY g.n;

-- statement
-- Fact: append-only machine telemetry, fact_rows of them ("CreatedAt" only).
INSERT INTO "EquipmentTelemetry" ("Id", "EquipmentId", "EngineHours", "FuelLevelPct",
                                  "IsRunning", "Readings", "CreatedAt")
SELECT n,
       mod(n - 1, 600) + 1,
       ((100000 + mod(n - 1, 600) * 1000 + (n / 600) * 5)::numeric / 100)::numeric(10,2),
       CASE WHEN mod(n, 19) = 0 THEN NULL ELSE (100 - mod(n / 600, 90) - mod(n, 7) * 0.25)::numeric(5,2) END,
       mod(n, 7) <> 0,
       -- a detailed snapshot with every fourth reading
       CASE WHEN mod(n, 4) <> 0 THEN NULL
            ELSE jsonb_build_object('rpm', 800 + mod(n * 37, 1400),
                                    'coolantC', 70 + mod(n, 25),
                                    'alarms', CASE WHEN mod(n, 101) = 0
                                                   THEN jsonb_build_array('LOW_OIL')
                                                   ELSE '[]'::jsonb END) END,
       TIMESTAMPTZ '2024-03-04 00:00:00+00' + n * INTERVAL '6 seconds'
FROM generate_series(1::bigint, %(fact_rows)s::bigint) AS n
ORDER BY 1;

-- statement
-- No primary key; ten events are logged twice (exact duplicate rows, as real audit
-- tables have).
INSERT INTO "AuditTrail" ("EventTime", "TableName", "RecordId", "Action", "Actor", "ClientIp",
                          "Payload", "RawPayload")
SELECT TIMESTAMPTZ '2024-03-01 00:00:00+00' + a.n * INTERVAL '97 seconds',
       (ARRAY['Worker', 'Crew', 'Zone', 'DeviceAssignment', 'Crew Shift'])[mod(a.n, 5) + 1],
       mod(a.n * 7, 3000) + 1,
       (ARRAY['INSERT', 'UPDATE', 'DELETE'])[mod(a.n, 3) + 1],
       CASE WHEN mod(a.n, 10) = 0 THEN NULL ELSE 'user' || mod(a.n, 25) END,
       ('10.' || mod(a.n, 256) || '.' || mod(a.n / 256, 256) || '.' || (mod(a.n * 7, 254) + 1))::inet,
       jsonb_build_object('field', (ARRAY['Name', 'IsActive', 'HourlyRate'])[mod(a.n, 3) + 1],
                          'old', mod(a.n, 100), 'new', mod(a.n, 100) + 1),
       CASE WHEN mod(a.n, 4) = 0 THEN convert_to('evt:' || a.n, 'UTF8') END
FROM (
    SELECT n FROM generate_series(1, 5000) AS n
    UNION ALL
    SELECT n FROM generate_series(500, 5000, 500) AS n
) AS a
ORDER BY a.n;

-- statement
-- Identity and serial sequences continue after the explicit ids.
SELECT setval(pg_get_serial_sequence('"Worker"', 'Id'), (SELECT max("Id") FROM "Worker")),
       setval(pg_get_serial_sequence('"Device"', 'Id'), (SELECT max("Id") FROM "Device")),
       setval(pg_get_serial_sequence('"WorkerProject"', 'Id'), (SELECT max("Id") FROM "WorkerProject")),
       setval(pg_get_serial_sequence('"ZoneActivity"', 'Id'), (SELECT max("Id") FROM "ZoneActivity")),
       setval(pg_get_serial_sequence('"Crew Shift"', 'Id'), (SELECT max("Id") FROM "Crew Shift")),
       setval(pg_get_serial_sequence('"Attendance"', 'Id'), (SELECT max("Id") FROM "Attendance")),
       setval(pg_get_serial_sequence('"DeviceLocation"', 'Id'), (SELECT max("Id") FROM "DeviceLocation")),
       setval(pg_get_serial_sequence('"EquipmentTelemetry"', 'Id'),
              (SELECT max("Id") FROM "EquipmentTelemetry"));
