-- expect: LISTEN_NOTIFY
-- type: PROCEDURE
-- language: plpgsql
-- lines: LISTEN_NOTIFY@9 LISTEN_NOTIFY@10
CREATE OR REPLACE PROCEDURE public.listen_notify_positive()
 LANGUAGE plpgsql
AS $procedure$
BEGIN
    LISTEN zone_changes;
    NOTIFY zone_changes, 'refresh';
END;
$procedure$
