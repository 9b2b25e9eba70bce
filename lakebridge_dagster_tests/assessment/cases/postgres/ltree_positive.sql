-- expect: HIERARCHYID
-- type: FUNCTION
-- language: sql
CREATE OR REPLACE FUNCTION public.ltree_positive(p_path ltree)
 RETURNS integer
 LANGUAGE sql
AS $function$ SELECT nlevel(p_path) $function$
