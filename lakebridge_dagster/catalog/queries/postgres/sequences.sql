-- Sequences, including those behind identity and serial columns, as a CREATE statement.
SELECT s.schemaname AS schema,
       s.sequencename AS name,
       'CREATE SEQUENCE ' || quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename)
           || ' AS ' || s.data_type::text
           || ' INCREMENT BY ' || s.increment_by
           || ' MINVALUE ' || s.min_value || ' MAXVALUE ' || s.max_value
           || ' START WITH ' || s.start_value
           || CASE WHEN s.cycle THEN ' CYCLE' ELSE '' END AS definition
FROM pg_sequences AS s
WHERE s.schemaname = ANY(%(schemas)s)
ORDER BY s.schemaname, s.sequencename
