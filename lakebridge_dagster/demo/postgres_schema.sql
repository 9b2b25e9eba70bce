-- The demo source `demo_timescale`: a construction-workforce application database
-- (PostgreSQL 16, no extensions: the PostGIS geometry is emulated with the built-in
-- `polygon`/`point` types, the TimescaleDB hypertables with plain tables and a
-- `time_bucket_demo` function).
--
-- Run by lakebridge_dagster.demo.seed inside the seed transaction, with
-- search_path = public, as two multi-statement strings: everything above the line
-- `-- post-data` before postgres_data.sql, the rest after it. It drops and recreates
-- every demo object.
-- When an object is removed from this file, keep its DROP below (and bump
-- SEED_VERSION) so databases seeded by an older version lose it too.

-- ---------------------------------------------------------------------------------
-- Drop (views and routines first, then tables leaves-to-roots; CASCADE for safety)
-- ---------------------------------------------------------------------------------
DROP VIEW IF EXISTS "vw_ActiveWorkersPerProject", "vw_ZoneOccupancy",
    "vw_AttendanceByWeekday", "vw_EquipmentDailyTelemetry" CASCADE;

DROP PROCEDURE IF EXISTS sp_recalculate_attendance_hours(date, date, integer) CASCADE;
DROP PROCEDURE IF EXISTS sp_merge_zone_activity(integer, integer[], numeric, integer) CASCADE;
DROP PROCEDURE IF EXISTS sp_build_crew_utilisation(date, date, integer) CASCADE;
DROP FUNCTION IF EXISTS fn_count_rows_since(text, text, timestamptz) CASCADE;
DROP FUNCTION IF EXISTS fn_open_worker_locations(integer, timestamptz, refcursor) CASCADE;
DROP FUNCTION IF EXISTS fn_attendance_pivot(date, date) CASCADE;
DROP FUNCTION IF EXISTS time_bucket_demo(interval, timestamptz, timestamptz) CASCADE;

DROP TABLE IF EXISTS
    "AuditTrail", "WorkerHistory", "ZoneHistory",
    "DeviceLocation", "EquipmentTelemetry", "Attendance",
    "Crew Shift", "DeviceAssignment", "ZoneActivity", "WorkerProject", "CrewWorker",
    "Equipment", "Device", "Crew", "Worker", "Zone", "Site", "Project",
    "Activity", "Company", "CompanyType"
    CASCADE;

DROP FUNCTION IF EXISTS trg_worker_set_updated_at() CASCADE;
DROP FUNCTION IF EXISTS trg_worker_history() CASCADE;
DROP SEQUENCE IF EXISTS "TicketNumberSeq" CASCADE;

-- ---------------------------------------------------------------------------------
-- Explicit sequence
-- ---------------------------------------------------------------------------------
CREATE SEQUENCE "TicketNumberSeq" AS bigint START WITH 100001 INCREMENT BY 1 NO CYCLE;

-- ---------------------------------------------------------------------------------
-- Dimensions
-- ---------------------------------------------------------------------------------
CREATE TABLE "CompanyType" (
    "Id"          integer      NOT NULL,
    "Name"        varchar(60)  NOT NULL,
    "Description" text,
    "CreatedAt"   timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt"   timestamptz,
    "DeletedAt"   timestamptz,
    CONSTRAINT "PK_CompanyType" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_CompanyType_Name" UNIQUE ("Name")
);

CREATE TABLE "Company" (
    "Id"            integer       NOT NULL,
    "CompanyTypeId" integer       NOT NULL,
    "Name"          varchar(120)  NOT NULL,
    "ExternalId"    uuid          NOT NULL,
    "CreditLimit"   numeric(12,2),
    "Settings"      jsonb         NOT NULL DEFAULT '{}'::jsonb,
    "Website"       text,
    "CreatedAt"     timestamptz   NOT NULL DEFAULT now(),
    "UpdatedAt"     timestamptz,
    "DeletedAt"     timestamptz,
    CONSTRAINT "PK_Company" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_Company_ExternalId" UNIQUE ("ExternalId"),
    CONSTRAINT "FK_Company_CompanyType" FOREIGN KEY ("CompanyTypeId")
        REFERENCES "CompanyType" ("Id")
);

CREATE TABLE "Activity" (
    "Id"               integer      NOT NULL,
    "Code"             varchar(20)  NOT NULL,
    "Name"             varchar(120) NOT NULL,
    "ParentActivityId" integer,
    "StandardDuration" interval     NOT NULL,
    "IsBillable"       boolean      NOT NULL DEFAULT true,
    "CreatedAt"        timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt"        timestamptz,
    "DeletedAt"        timestamptz,
    CONSTRAINT "PK_Activity" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_Activity_Code" UNIQUE ("Code"),
    CONSTRAINT "FK_Activity_Parent" FOREIGN KEY ("ParentActivityId")
        REFERENCES "Activity" ("Id")
);

CREATE TABLE "Project" (
    "Id"        integer      NOT NULL,
    "CompanyId" integer      NOT NULL,
    "Code"      varchar(20)  NOT NULL,
    "Name"      varchar(120) NOT NULL,
    "Status"    varchar(20)  NOT NULL DEFAULT 'active',
    "StartDate" date         NOT NULL,
    "EndDate"   date,
    "Budget"    numeric(12,2),
    "Tags"      text[]       NOT NULL DEFAULT '{}',
    "CreatedAt" timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt" timestamptz,
    "DeletedAt" timestamptz,
    CONSTRAINT "PK_Project" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_Project_Code" UNIQUE ("Code"),
    CONSTRAINT "CK_Project_Status" CHECK ("Status" IN ('planned', 'active', 'on_hold', 'closed')),
    CONSTRAINT "CK_Project_Dates" CHECK ("EndDate" IS NULL OR "EndDate" >= "StartDate"),
    CONSTRAINT "FK_Project_Company" FOREIGN KEY ("CompanyId") REFERENCES "Company" ("Id")
);

CREATE TABLE "Site" (
    "Id"        integer      NOT NULL,
    "ProjectId" integer      NOT NULL,
    "Name"      varchar(120) NOT NULL,
    "Address"   text,
    "Location"  point        NOT NULL,
    "TimeZone"  varchar(64)  NOT NULL DEFAULT 'UTC',
    "CreatedAt" timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt" timestamptz,
    "DeletedAt" timestamptz,
    CONSTRAINT "PK_Site" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Site_Project" FOREIGN KEY ("ProjectId") REFERENCES "Project" ("Id")
);
CREATE INDEX "IX_Site_ProjectId" ON "Site" ("ProjectId");

-- "Coordinates" stands in for a PostGIS geometry(Polygon, 4326) column.
CREATE TABLE "Zone" (
    "Id"           integer      NOT NULL,
    "SiteId"       integer      NOT NULL,
    "Name"         varchar(120) NOT NULL,
    "Coordinates"  polygon      NOT NULL,
    "FloorLevel"   smallint     NOT NULL DEFAULT 0,
    "MaxOccupancy" integer,
    "IsRestricted" boolean      NOT NULL DEFAULT false,
    "CreatedAt"    timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt"    timestamptz,
    "DeletedAt"    timestamptz,
    CONSTRAINT "PK_Zone" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Zone_Site" FOREIGN KEY ("SiteId") REFERENCES "Site" ("Id")
);
CREATE INDEX "IX_Zone_SiteId" ON "Zone" ("SiteId");

CREATE TABLE "Worker" (
    "Id"         integer GENERATED BY DEFAULT AS IDENTITY,
    "CompanyId"  integer      NOT NULL,
    "FirstName"  varchar(60)  NOT NULL,
    "LastName"   varchar(60)  NOT NULL,
    "Name"       text GENERATED ALWAYS AS ("FirstName" || ' ' || "LastName") STORED,
    "Email"      varchar(200) NOT NULL,
    "BadgeUid"   uuid         NOT NULL,
    "HourlyRate" numeric(12,2) NOT NULL,
    "HireDate"   date         NOT NULL,
    "Skills"     text[],
    "Photo"      bytea,
    "IsActive"   boolean      NOT NULL DEFAULT true,
    "CreatedAt"  timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt"  timestamptz,
    "DeletedAt"  timestamptz,
    CONSTRAINT "PK_Worker" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Worker_Company" FOREIGN KEY ("CompanyId") REFERENCES "Company" ("Id")
);
CREATE UNIQUE INDEX "UX_Worker_Email" ON "Worker" (lower("Email"));
CREATE UNIQUE INDEX "UX_Worker_BadgeUid" ON "Worker" ("BadgeUid");
CREATE INDEX "IX_Worker_CompanyId" ON "Worker" ("CompanyId");

CREATE TABLE "Crew" (
    "Id"             integer      NOT NULL,
    "ProjectId"      integer      NOT NULL,
    "Name"           varchar(120) NOT NULL,
    "LeaderWorkerId" integer,
    "UtilisationPct" numeric(5,2),
    "CreatedAt"      timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt"      timestamptz,
    "DeletedAt"      timestamptz,
    CONSTRAINT "PK_Crew" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Crew_Project" FOREIGN KEY ("ProjectId") REFERENCES "Project" ("Id"),
    CONSTRAINT "FK_Crew_Leader" FOREIGN KEY ("LeaderWorkerId") REFERENCES "Worker" ("Id")
);

CREATE TABLE "Device" (
    "Id"              serial       NOT NULL,
    "SerialNumber"    varchar(40)  NOT NULL,
    "Name"            varchar(120) NOT NULL,
    "Model"           varchar(60)  NOT NULL,
    "FirmwareVersion" varchar(20),
    "IpAddress"       inet,
    "IsActive"        boolean      NOT NULL DEFAULT true,
    "LastSeenAt"      timestamptz,
    "CreatedAt"       timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt"       timestamptz,
    "DeletedAt"       timestamptz,
    CONSTRAINT "PK_Device" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_Device_SerialNumber" UNIQUE ("SerialNumber")
);

CREATE TABLE "Equipment" (
    "Id"            integer      NOT NULL,
    "CompanyId"     integer      NOT NULL,
    "SiteId"        integer,
    "Name"          varchar(120) NOT NULL,
    "Kind"          varchar(40)  NOT NULL,
    "PurchasePrice" numeric(12,2),
    "PurchaseDate"  date,
    "Specs"         jsonb,
    "CreatedAt"     timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt"     timestamptz,
    "DeletedAt"     timestamptz,
    CONSTRAINT "PK_Equipment" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_Equipment_Company" FOREIGN KEY ("CompanyId") REFERENCES "Company" ("Id"),
    CONSTRAINT "FK_Equipment_Site" FOREIGN KEY ("SiteId") REFERENCES "Site" ("Id")
);

-- ---------------------------------------------------------------------------------
-- Assignments
-- ---------------------------------------------------------------------------------
CREATE TABLE "CrewWorker" (
    "CrewId"     integer     NOT NULL,
    "WorkerId"   integer     NOT NULL,
    "IsLead"     boolean     NOT NULL DEFAULT false,
    "AssignedAt" timestamptz NOT NULL,
    "CreatedAt"  timestamptz NOT NULL DEFAULT now(),
    "UpdatedAt"  timestamptz,
    "DeletedAt"  timestamptz,
    CONSTRAINT "PK_CrewWorker" PRIMARY KEY ("CrewId", "WorkerId"),
    CONSTRAINT "FK_CrewWorker_Crew" FOREIGN KEY ("CrewId") REFERENCES "Crew" ("Id"),
    CONSTRAINT "FK_CrewWorker_Worker" FOREIGN KEY ("WorkerId") REFERENCES "Worker" ("Id")
);
CREATE INDEX "IX_CrewWorker_WorkerId" ON "CrewWorker" ("WorkerId");

CREATE TABLE "WorkerProject" (
    "Id"        bigint GENERATED BY DEFAULT AS IDENTITY,
    "WorkerId"  integer     NOT NULL,
    "ProjectId" integer     NOT NULL,
    "Role"      varchar(40) NOT NULL,
    "StartDate" date        NOT NULL,
    "EndDate"   date,
    "CreatedAt" timestamptz NOT NULL DEFAULT now(),
    "UpdatedAt" timestamptz,
    "DeletedAt" timestamptz,
    CONSTRAINT "PK_WorkerProject" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_WorkerProject" UNIQUE ("WorkerId", "ProjectId"),
    CONSTRAINT "FK_WorkerProject_Worker" FOREIGN KEY ("WorkerId") REFERENCES "Worker" ("Id"),
    CONSTRAINT "FK_WorkerProject_Project" FOREIGN KEY ("ProjectId") REFERENCES "Project" ("Id")
);
CREATE INDEX "IX_WorkerProject_ProjectId" ON "WorkerProject" ("ProjectId");

CREATE TABLE "ZoneActivity" (
    "Id"           integer GENERATED BY DEFAULT AS IDENTITY,
    "ZoneId"       integer      NOT NULL,
    "ActivityId"   integer      NOT NULL,
    "PlannedHours" numeric(8,2) NOT NULL DEFAULT 0,
    "CreatedAt"    timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt"    timestamptz,
    "DeletedAt"    timestamptz,
    CONSTRAINT "PK_ZoneActivity" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_ZoneActivity" UNIQUE ("ZoneId", "ActivityId"),
    CONSTRAINT "FK_ZoneActivity_Zone" FOREIGN KEY ("ZoneId") REFERENCES "Zone" ("Id"),
    CONSTRAINT "FK_ZoneActivity_Activity" FOREIGN KEY ("ActivityId") REFERENCES "Activity" ("Id")
);

CREATE TABLE "DeviceAssignment" (
    "Id"           integer     NOT NULL,
    "DeviceId"     integer     NOT NULL,
    "WorkerId"     integer     NOT NULL,
    "TicketNumber" bigint      NOT NULL DEFAULT nextval('"TicketNumberSeq"'),
    "AssignedFrom" timestamptz NOT NULL,
    "AssignedTo"   timestamptz,
    "CreatedAt"    timestamptz NOT NULL DEFAULT now(),
    "UpdatedAt"    timestamptz,
    "DeletedAt"    timestamptz,
    CONSTRAINT "PK_DeviceAssignment" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_DeviceAssignment_TicketNumber" UNIQUE ("TicketNumber"),
    CONSTRAINT "CK_DeviceAssignment_Period" CHECK ("AssignedTo" IS NULL OR "AssignedTo" > "AssignedFrom"),
    CONSTRAINT "FK_DeviceAssignment_Device" FOREIGN KEY ("DeviceId") REFERENCES "Device" ("Id"),
    CONSTRAINT "FK_DeviceAssignment_Worker" FOREIGN KEY ("WorkerId") REFERENCES "Worker" ("Id")
);
-- One open assignment per device.
CREATE UNIQUE INDEX "UX_DeviceAssignment_Open" ON "DeviceAssignment" ("DeviceId")
    WHERE "AssignedTo" IS NULL;

-- The one table whose name needs quoting beyond its case (a space).
CREATE TABLE "Crew Shift" (
    "Id"                 serial      NOT NULL,
    "CrewId"             integer     NOT NULL,
    "ShiftDate"          date        NOT NULL,
    "StartTime"          time        NOT NULL,
    "Duration"           interval    NOT NULL,
    "SupervisorWorkerId" integer,
    "Notes"              text,
    "CreatedAt"          timestamptz NOT NULL DEFAULT now(),
    "UpdatedAt"          timestamptz,
    "DeletedAt"          timestamptz,
    CONSTRAINT "PK_Crew Shift" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_Crew Shift_CrewDate" UNIQUE ("CrewId", "ShiftDate"),
    CONSTRAINT "FK_Crew Shift_Crew" FOREIGN KEY ("CrewId") REFERENCES "Crew" ("Id"),
    CONSTRAINT "FK_Crew Shift_Supervisor" FOREIGN KEY ("SupervisorWorkerId")
        REFERENCES "Worker" ("Id")
);

-- ---------------------------------------------------------------------------------
-- Facts (hypertable-like: time-ordered, append-mostly, no partitioning here)
-- ---------------------------------------------------------------------------------
CREATE TABLE "DeviceLocation" (
    "Id"         bigserial        NOT NULL,
    "DeviceId"   integer          NOT NULL,
    "WorkerId"   integer,
    "ZoneId"     integer,
    "Latitude"   double precision NOT NULL,
    "Longitude"  double precision NOT NULL,
    "Accuracy"   real,
    "Battery"    smallint,
    "RecordedAt" timestamptz      NOT NULL,
    "CreatedAt"  timestamptz      NOT NULL DEFAULT now(),
    "UpdatedAt"  timestamptz
    -- primary key, foreign keys and secondary indexes: see the post-data section
);

-- Append-only: no "UpdatedAt"/"DeletedAt"; "CreatedAt" is the watermark.
CREATE TABLE "EquipmentTelemetry" (
    "Id"           bigint GENERATED BY DEFAULT AS IDENTITY,
    "EquipmentId"  integer       NOT NULL,
    "EngineHours"  numeric(10,2) NOT NULL,
    "FuelLevelPct" numeric(5,2),
    "IsRunning"    boolean       NOT NULL,
    "Readings"     jsonb,
    "CreatedAt"    timestamptz   NOT NULL DEFAULT now()
    -- primary key, foreign key and secondary index: see the post-data section
);

CREATE TABLE "Attendance" (
    "Id"          bigint GENERATED BY DEFAULT AS IDENTITY,
    "WorkerId"    integer      NOT NULL,
    "SiteId"      integer      NOT NULL,
    "WorkDate"    date         NOT NULL,
    "CheckIn"     timestamptz  NOT NULL,
    "CheckOut"    timestamptz,
    "HoursWorked" numeric(5,2),
    "CreatedAt"   timestamptz  NOT NULL DEFAULT now(),
    "UpdatedAt"   timestamptz,
    "DeletedAt"   timestamptz,
    CONSTRAINT "PK_Attendance" PRIMARY KEY ("Id"),
    CONSTRAINT "UQ_Attendance_WorkerDate" UNIQUE ("WorkerId", "WorkDate")
    -- foreign keys and secondary index: see the post-data section
);

-- ---------------------------------------------------------------------------------
-- History (audit-like)
-- ---------------------------------------------------------------------------------
-- Written by the trigger on "Worker"; no foreign key: history outlives deleted workers.
CREATE TABLE "WorkerHistory" (
    "Id"        bigint GENERATED BY DEFAULT AS IDENTITY,
    "WorkerId"  integer     NOT NULL,
    "Operation" varchar(6)  NOT NULL,
    "ChangedAt" timestamptz NOT NULL,
    "ChangedBy" text        NOT NULL DEFAULT current_user,
    "OldRow"    jsonb,
    "NewRow"    jsonb,
    CONSTRAINT "PK_WorkerHistory" PRIMARY KEY ("Id"),
    CONSTRAINT "CK_WorkerHistory_Operation" CHECK ("Operation" IN ('INSERT', 'UPDATE', 'DELETE'))
);
CREATE INDEX "IX_WorkerHistory_WorkerId" ON "WorkerHistory" ("WorkerId", "ChangedAt");

-- Slowly-changing versions of a zone's outline.
CREATE TABLE "ZoneHistory" (
    "Id"          bigint GENERATED BY DEFAULT AS IDENTITY,
    "ZoneId"      integer      NOT NULL,
    "Name"        varchar(120) NOT NULL,
    "Coordinates" polygon      NOT NULL,
    "ValidFrom"   timestamptz  NOT NULL,
    "ValidTo"     timestamptz,
    "ChangedBy"   text,
    "CreatedAt"   timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT "PK_ZoneHistory" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ZoneHistory_Zone" FOREIGN KEY ("ZoneId") REFERENCES "Zone" ("Id")
);

-- No primary key and no unique index, on purpose (the loader must cope).
CREATE TABLE "AuditTrail" (
    "EventTime"  timestamptz NOT NULL,
    "TableName"  text        NOT NULL,
    "RecordId"   bigint,
    "Action"     varchar(10) NOT NULL,
    "Actor"      text,
    "ClientIp"   inet,
    "Payload"    jsonb,
    "RawPayload" bytea
);
CREATE INDEX "IX_AuditTrail_TableName_EventTime" ON "AuditTrail" ("TableName", "EventTime");

-- ---------------------------------------------------------------------------------
-- Trigger functions and triggers on "Worker"
-- ---------------------------------------------------------------------------------
CREATE FUNCTION trg_worker_set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW."UpdatedAt" := now();
    RETURN NEW;
END;
$$;

CREATE FUNCTION trg_worker_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "WorkerHistory" ("WorkerId", "Operation", "ChangedAt", "OldRow", "NewRow")
        VALUES (NEW."Id", TG_OP, COALESCE(NEW."CreatedAt", now()), NULL, to_jsonb(NEW));
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO "WorkerHistory" ("WorkerId", "Operation", "ChangedAt", "OldRow", "NewRow")
        VALUES (NEW."Id", TG_OP, COALESCE(NEW."UpdatedAt", now()), to_jsonb(OLD), to_jsonb(NEW));
        RETURN NEW;
    ELSE
        INSERT INTO "WorkerHistory" ("WorkerId", "Operation", "ChangedAt", "OldRow", "NewRow")
        VALUES (OLD."Id", TG_OP, now(), to_jsonb(OLD), NULL);
        RETURN OLD;
    END IF;
END;
$$;

CREATE TRIGGER "trg_Worker_SetUpdatedAt"
    BEFORE UPDATE ON "Worker"
    FOR EACH ROW EXECUTE FUNCTION trg_worker_set_updated_at();

CREATE TRIGGER "trg_Worker_History"
    AFTER INSERT OR UPDATE OR DELETE ON "Worker"
    FOR EACH ROW EXECUTE FUNCTION trg_worker_history();

-- ---------------------------------------------------------------------------------
-- Functions
-- ---------------------------------------------------------------------------------
-- TimescaleDB's time_bucket(bucket_width, ts), emulated with date_bin. Default origin
-- as in TimescaleDB: Monday 2000-01-03, so weekly buckets start on Mondays.
CREATE FUNCTION time_bucket_demo(
    bucket_width interval,
    ts timestamptz,
    origin timestamptz DEFAULT '2000-01-03 00:00:00+00'
) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN date_bin(bucket_width, ts, origin);

-- Crosstab-like pivot without tablefunc: hours worked per project and ISO weekday.
CREATE FUNCTION fn_attendance_pivot(p_from date, p_to date)
RETURNS TABLE (
    "ProjectId" integer,
    "Mon" numeric, "Tue" numeric, "Wed" numeric, "Thu" numeric,
    "Fri" numeric, "Sat" numeric, "Sun" numeric,
    "Total" numeric
)
LANGUAGE sql STABLE AS $$
    SELECT s."ProjectId",
           COALESCE(SUM(a."HoursWorked") FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 1), 0),
           COALESCE(SUM(a."HoursWorked") FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 2), 0),
           COALESCE(SUM(a."HoursWorked") FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 3), 0),
           COALESCE(SUM(a."HoursWorked") FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 4), 0),
           COALESCE(SUM(a."HoursWorked") FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 5), 0),
           COALESCE(SUM(a."HoursWorked") FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 6), 0),
           COALESCE(SUM(a."HoursWorked") FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 7), 0),
           COALESCE(SUM(a."HoursWorked"), 0)
    FROM "Attendance" AS a
    JOIN "Site" AS s ON s."Id" = a."SiteId"
    WHERE a."WorkDate" BETWEEN p_from AND p_to
      AND a."DeletedAt" IS NULL
    GROUP BY s."ProjectId"
    ORDER BY s."ProjectId";
$$;

-- Dynamic SQL: rows of any demo table past a watermark (identifiers quoted with %I,
-- the value bound with USING).
CREATE FUNCTION fn_count_rows_since(p_table text, p_column text, p_since timestamptz)
RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_count bigint;
BEGIN
    IF to_regclass(format('public.%I', p_table)) IS NULL THEN
        RAISE EXCEPTION 'table public.% does not exist', quote_ident(p_table)
            USING ERRCODE = 'undefined_table';
    END IF;
    EXECUTE format('SELECT count(*) FROM public.%I WHERE %I > $1', p_table, p_column)
        INTO v_count
        USING p_since;
    RETURN v_count;
END;
$$;

-- Returns an open cursor over a worker's location pings (FETCH from it in the same
-- transaction).
CREATE FUNCTION fn_open_worker_locations(
    p_worker_id integer,
    p_since timestamptz DEFAULT NULL,
    p_cursor refcursor DEFAULT 'worker_locations'
) RETURNS refcursor
LANGUAGE plpgsql AS $$
BEGIN
    OPEN p_cursor FOR
        SELECT dl."Id", dl."DeviceId", dl."ZoneId", dl."Latitude", dl."Longitude", dl."RecordedAt"
        FROM "DeviceLocation" AS dl
        WHERE dl."WorkerId" = p_worker_id
          AND (p_since IS NULL OR dl."RecordedAt" >= p_since)
        ORDER BY dl."RecordedAt", dl."Id";
    RETURN p_cursor;
END;
$$;

-- ---------------------------------------------------------------------------------
-- Procedures
-- ---------------------------------------------------------------------------------
-- Row-by-row recalculation with an explicit cursor (OPEN / FETCH / LOOP / CLOSE).
CREATE PROCEDURE sp_recalculate_attendance_hours(
    p_from date,
    p_to date,
    INOUT p_updated integer DEFAULT NULL
)
LANGUAGE plpgsql AS $$
DECLARE
    cur_attendance CURSOR (c_from date, c_to date) FOR
        SELECT a."Id", a."CheckIn", a."CheckOut", a."HoursWorked"
        FROM "Attendance" AS a
        WHERE a."WorkDate" BETWEEN c_from AND c_to
          AND a."CheckOut" IS NOT NULL
          AND a."DeletedAt" IS NULL
        FOR UPDATE;
    v_row record;
    v_hours numeric(5,2);
BEGIN
    p_updated := 0;
    OPEN cur_attendance(p_from, p_to);
    LOOP
        FETCH cur_attendance INTO v_row;
        EXIT WHEN NOT FOUND;
        v_hours := round(EXTRACT(EPOCH FROM v_row."CheckOut" - v_row."CheckIn") / 3600.0, 2);
        IF v_row."HoursWorked" IS DISTINCT FROM v_hours THEN
            UPDATE "Attendance"
               SET "HoursWorked" = v_hours, "UpdatedAt" = now()
             WHERE CURRENT OF cur_attendance;
            p_updated := p_updated + 1;
        END IF;
    END LOOP;
    CLOSE cur_attendance;
END;
$$;

-- Upsert the planned activities of a zone with MERGE, then tell listeners
-- (LISTEN zone_activity_changed) through pg_notify.
CREATE PROCEDURE sp_merge_zone_activity(
    p_zone_id integer,
    p_activity_ids integer[],
    p_planned_hours numeric,
    INOUT p_merged integer DEFAULT NULL
)
LANGUAGE plpgsql AS $$
BEGIN
    MERGE INTO "ZoneActivity" AS t
    USING (SELECT DISTINCT unnest(p_activity_ids) AS "ActivityId") AS s
       ON t."ZoneId" = p_zone_id AND t."ActivityId" = s."ActivityId"
    WHEN MATCHED THEN
        UPDATE SET "PlannedHours" = p_planned_hours, "UpdatedAt" = now(), "DeletedAt" = NULL
    WHEN NOT MATCHED THEN
        INSERT ("ZoneId", "ActivityId", "PlannedHours", "CreatedAt")
        VALUES (p_zone_id, s."ActivityId", p_planned_hours, now());
    GET DIAGNOSTICS p_merged = ROW_COUNT;
    PERFORM pg_notify(
        'zone_activity_changed',
        json_build_object('zoneId', p_zone_id, 'merged', p_merged)::text
    );
END;
$$;

-- Staging in a temporary table, then a set-based UPDATE of "Crew".
CREATE PROCEDURE sp_build_crew_utilisation(
    p_from date,
    p_to date,
    INOUT p_crews integer DEFAULT NULL
)
LANGUAGE plpgsql AS $$
DECLARE
    v_days integer := GREATEST((p_to - p_from) + 1, 1);
BEGIN
    DROP TABLE IF EXISTS tmp_crew_hours;
    CREATE TEMP TABLE tmp_crew_hours ON COMMIT DROP AS
        SELECT cw."CrewId",
               COUNT(DISTINCT cw."WorkerId") AS workers,
               COALESCE(SUM(a."HoursWorked"), 0) AS hours
        FROM "CrewWorker" AS cw
        LEFT JOIN "Attendance" AS a
               ON a."WorkerId" = cw."WorkerId"
              AND a."WorkDate" BETWEEN p_from AND p_to
              AND a."DeletedAt" IS NULL
        WHERE cw."DeletedAt" IS NULL
        GROUP BY cw."CrewId";

    UPDATE "Crew" AS c
       SET "UtilisationPct" = LEAST(100, round(100 * t.hours / (t.workers * 8 * v_days), 2)),
           "UpdatedAt" = now()
      FROM tmp_crew_hours AS t
     WHERE t."CrewId" = c."Id"
       AND t.workers > 0;
    GET DIAGNOSTICS p_crews = ROW_COUNT;
END;
$$;

-- ---------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------
CREATE VIEW "vw_ActiveWorkersPerProject" AS
SELECT p."Id" AS "ProjectId",
       p."Name" AS "ProjectName",
       c."Name" AS "CompanyName",
       COUNT(DISTINCT w."Id") AS "ActiveWorkers",
       COUNT(DISTINCT w."CompanyId") AS "EmployerCount"
FROM "Project" AS p
JOIN "Company" AS c ON c."Id" = p."CompanyId"
LEFT JOIN "WorkerProject" AS wp
       ON wp."ProjectId" = p."Id"
      AND wp."DeletedAt" IS NULL
      AND (wp."EndDate" IS NULL OR wp."EndDate" >= CURRENT_DATE)
LEFT JOIN "Worker" AS w
       ON w."Id" = wp."WorkerId"
      AND w."IsActive"
      AND w."DeletedAt" IS NULL
WHERE p."DeletedAt" IS NULL
GROUP BY p."Id", p."Name", c."Name";

-- Hourly occupancy per zone with window functions (previous hour, rank within the
-- site, running total).
CREATE VIEW "vw_ZoneOccupancy" AS
WITH hourly AS (
    SELECT dl."ZoneId",
           date_trunc('hour', dl."RecordedAt") AS "Hour",
           COUNT(DISTINCT dl."WorkerId") AS "Workers",
           COUNT(*) AS "Pings"
    FROM "DeviceLocation" AS dl
    WHERE dl."ZoneId" IS NOT NULL
    GROUP BY dl."ZoneId", date_trunc('hour', dl."RecordedAt")
)
SELECT z."SiteId",
       h."ZoneId",
       z."Name" AS "ZoneName",
       h."Hour",
       h."Workers",
       h."Pings",
       LAG(h."Workers") OVER (PARTITION BY h."ZoneId" ORDER BY h."Hour") AS "PreviousHourWorkers",
       RANK() OVER (PARTITION BY z."SiteId", h."Hour" ORDER BY h."Workers" DESC) AS "BusiestRank",
       SUM(h."Pings") OVER (
           PARTITION BY h."ZoneId" ORDER BY h."Hour"
           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
       ) AS "CumulativePings"
FROM hourly AS h
JOIN "Zone" AS z ON z."Id" = h."ZoneId";

-- Crosstab-like pivot of attendance per ISO weekday, with FILTER and CASE aggregation.
CREATE VIEW "vw_AttendanceByWeekday" AS
SELECT a."SiteId",
       s."Name" AS "SiteName",
       COUNT(*) FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 1) AS "Mon",
       COUNT(*) FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 2) AS "Tue",
       COUNT(*) FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 3) AS "Wed",
       COUNT(*) FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 4) AS "Thu",
       COUNT(*) FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 5) AS "Fri",
       COUNT(*) FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 6) AS "Sat",
       COUNT(*) FILTER (WHERE EXTRACT(ISODOW FROM a."WorkDate") = 7) AS "Sun",
       SUM(CASE WHEN EXTRACT(ISODOW FROM a."WorkDate") < 6 THEN a."HoursWorked" ELSE 0 END)
           AS "WeekdayHours",
       SUM(CASE WHEN EXTRACT(ISODOW FROM a."WorkDate") >= 6 THEN a."HoursWorked" ELSE 0 END)
           AS "WeekendHours"
FROM "Attendance" AS a
JOIN "Site" AS s ON s."Id" = a."SiteId"
WHERE a."DeletedAt" IS NULL
GROUP BY a."SiteId", s."Name";

-- A continuous-aggregate look-alike over the append-only telemetry.
CREATE VIEW "vw_EquipmentDailyTelemetry" AS
SELECT et."EquipmentId",
       time_bucket_demo(INTERVAL '1 day', et."CreatedAt") AS "Day",
       COUNT(*) AS "Readings",
       AVG(et."FuelLevelPct") AS "AvgFuelLevelPct",
       MAX(et."EngineHours") - MIN(et."EngineHours") AS "EngineHoursUsed",
       COUNT(*) FILTER (WHERE et."IsRunning") AS "RunningReadings"
FROM "EquipmentTelemetry" AS et
GROUP BY et."EquipmentId", time_bucket_demo(INTERVAL '1 day', et."CreatedAt");

-- post-data
-- ---------------------------------------------------------------------------------
-- Post-data (run by the seed after postgres_data.sql, as pg_dump/pg_restore do): the
-- big fact tables' primary keys, and the fact tables' foreign keys and secondary
-- indexes. Validating a foreign key once with a
-- join and building an index in one sort is several times faster than checking and
-- maintaining them row by row during a bulk load. The seed's transaction makes the
-- tables invisible to anyone else until all of this has run.
-- ---------------------------------------------------------------------------------
ALTER TABLE "DeviceLocation"
    ADD CONSTRAINT "PK_DeviceLocation" PRIMARY KEY ("Id"),
    ADD CONSTRAINT "FK_DeviceLocation_Device" FOREIGN KEY ("DeviceId") REFERENCES "Device" ("Id"),
    ADD CONSTRAINT "FK_DeviceLocation_Worker" FOREIGN KEY ("WorkerId") REFERENCES "Worker" ("Id"),
    ADD CONSTRAINT "FK_DeviceLocation_Zone" FOREIGN KEY ("ZoneId") REFERENCES "Zone" ("Id");
CREATE INDEX "IX_DeviceLocation_DeviceId_RecordedAt" ON "DeviceLocation" ("DeviceId", "RecordedAt");

ALTER TABLE "EquipmentTelemetry"
    ADD CONSTRAINT "PK_EquipmentTelemetry" PRIMARY KEY ("Id"),
    ADD CONSTRAINT "FK_EquipmentTelemetry_Equipment" FOREIGN KEY ("EquipmentId")
        REFERENCES "Equipment" ("Id");
CREATE INDEX "IX_EquipmentTelemetry_CreatedAt" ON "EquipmentTelemetry" ("CreatedAt");

ALTER TABLE "Attendance"
    ADD CONSTRAINT "FK_Attendance_Worker" FOREIGN KEY ("WorkerId") REFERENCES "Worker" ("Id"),
    ADD CONSTRAINT "FK_Attendance_Site" FOREIGN KEY ("SiteId") REFERENCES "Site" ("Id");
CREATE INDEX "IX_Attendance_WorkDate" ON "Attendance" ("WorkDate");

-- Planner statistics (and pg_class.reltuples row estimates) for every demo table.
ANALYZE "CompanyType", "Company", "Activity", "Project", "Site", "Zone", "Worker", "Crew",
        "Device", "Equipment", "CrewWorker", "WorkerProject", "ZoneActivity", "DeviceAssignment",
        "Crew Shift", "DeviceLocation", "EquipmentTelemetry", "Attendance", "WorkerHistory",
        "ZoneHistory", "AuditTrail";
