-- expect: TEMP_TABLE
-- type: PROCEDURE
-- language: plpgsql
-- ON COMMIT DROP is part of the temp table, not a transaction.
CREATE OR REPLACE PROCEDURE public.temp_table_positive(IN p_from date)
 LANGUAGE plpgsql
AS $procedure$
BEGIN
    DROP TABLE IF EXISTS tmp_crew_hours;
    CREATE TEMP TABLE tmp_crew_hours ON COMMIT DROP AS
        SELECT cw."CrewId", COUNT(*) AS workers FROM "CrewWorker" AS cw GROUP BY cw."CrewId";
    UPDATE "Crew" AS c SET "Workers" = t.workers FROM tmp_crew_hours AS t WHERE t."CrewId" = c."Id";
END;
$procedure$
