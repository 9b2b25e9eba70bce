-- expect: SEQUENCE
-- type: FUNCTION
-- language: sql
CREATE OR REPLACE FUNCTION public.sequence_positive()
 RETURNS bigint
 LANGUAGE sql
AS $function$ SELECT nextval('public."Ticket_Number_seq"'::regclass) $function$
