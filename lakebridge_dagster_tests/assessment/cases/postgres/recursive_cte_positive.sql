-- expect: RECURSIVE_CTE
-- type: VIEW
CREATE OR REPLACE VIEW public.recursive_cte_positive AS
 WITH RECURSIVE tree AS (
         SELECT z."Id", z."ParentZoneId", 0 AS depth FROM "Zone" z WHERE z."ParentZoneId" IS NULL
        UNION ALL
         SELECT c."Id", c."ParentZoneId", t.depth + 1 FROM "Zone" c JOIN tree t ON c."ParentZoneId" = t."Id"
        )
 SELECT tree."Id", tree.depth FROM tree;
