-- expect: XML_JSON
-- type: VIEW
CREATE OR REPLACE VIEW public.json_positive AS
 SELECT w."Id",
    w."Profile" ->> 'email'::text AS email,
    jsonb_build_object('id', w."Id", 'name', w."Name") AS doc,
    w."Profile"::jsonb AS profile
   FROM "Worker" w;
