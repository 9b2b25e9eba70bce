-- expect: TIMESCALEDB
-- type: VIEW
CREATE OR REPLACE VIEW public.timescale_positive AS
 SELECT time_bucket('00:15:00'::interval, t."RecordedAt") AS bucket,
    count(*) AS pings
   FROM "DeviceLocation" t
  GROUP BY (time_bucket('00:15:00'::interval, t."RecordedAt"));
