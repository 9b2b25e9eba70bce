-- expect: UDF_CALL
-- type: VIEW
-- functions: public.time_bucket_demo
-- A user function whose name starts like TimescaleDB's time_bucket is not TimescaleDB.
CREATE OR REPLACE VIEW public.udf_call_positive AS
 SELECT et."EquipmentId",
    time_bucket_demo('1 day'::interval, et."CreatedAt") AS "Day",
    count(*) AS "Readings"
   FROM "EquipmentTelemetry" et
  GROUP BY et."EquipmentId", (time_bucket_demo('1 day'::interval, et."CreatedAt"));
