-- expect: TIMESCALEDB
-- type: PROCEDURE
-- language: plpgsql
CREATE OR REPLACE PROCEDURE public.timescale_hypertable_positive()
 LANGUAGE plpgsql
AS $procedure$
BEGIN
    PERFORM create_hypertable('"DeviceLocation"', 'RecordedAt', if_not_exists => true);
    PERFORM add_retention_policy('"DeviceLocation"', INTERVAL '90 days');
END;
$procedure$
