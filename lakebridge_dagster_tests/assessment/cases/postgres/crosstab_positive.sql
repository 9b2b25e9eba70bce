-- expect: PIVOT
-- type: VIEW
CREATE OR REPLACE VIEW public.crosstab_positive AS
 SELECT ct."WorkerId",
    ct.mon,
    ct.tue
   FROM crosstab('SELECT "WorkerId", dow, hours FROM attendance_by_day ORDER BY 1, 2'::text) ct("WorkerId" integer, mon numeric, tue numeric);
