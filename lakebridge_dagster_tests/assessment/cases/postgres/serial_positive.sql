-- expect: SEQUENCE
-- type: TABLE
-- A table from a DDL script: serial is a sequence and a nextval default.
CREATE TABLE public.serial_positive (
    id bigserial PRIMARY KEY,
    name text NOT NULL
);
