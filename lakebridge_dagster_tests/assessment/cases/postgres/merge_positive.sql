-- expect: MERGE, LISTEN_NOTIFY, XML_JSON
-- type: PROCEDURE
-- language: plpgsql
-- lines: MERGE@9 LISTEN_NOTIFY@14 XML_JSON@14
CREATE OR REPLACE PROCEDURE public.merge_positive(IN p_zone_id integer, IN p_ids integer[])
 LANGUAGE plpgsql
AS $procedure$
BEGIN
    MERGE INTO "ZoneActivity" AS t
    USING (SELECT DISTINCT unnest(p_ids) AS "ActivityId") AS s
       ON t."ZoneId" = p_zone_id AND t."ActivityId" = s."ActivityId"
    WHEN NOT MATCHED THEN
        INSERT ("ZoneId", "ActivityId") VALUES (p_zone_id, s."ActivityId");
    PERFORM pg_notify('zone_activity_changed', json_build_object('zoneId', p_zone_id)::text);
END;
$procedure$
