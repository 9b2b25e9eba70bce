-- expect: IDENTITY
-- type: TABLE
CREATE TABLE public.identity_positive (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identity_card text
);
