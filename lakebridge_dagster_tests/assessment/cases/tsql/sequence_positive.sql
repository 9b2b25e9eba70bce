-- expect: SEQUENCE
-- type: SEQUENCE
-- lines: SEQUENCE@4
CREATE SEQUENCE dbo.sequence_positive AS INT START WITH 1 INCREMENT BY 1;
