-- expect: SPATIAL
-- type: TABLE
-- lines: SPATIAL@7 SPATIAL@8
CREATE TABLE dbo.spatial_type_positive
(
    Id        INT            NOT NULL,
    [Location] [geography]   NULL,
    Footprint GEOMETRY       NULL,
    CONSTRAINT PK_spatial_type_positive PRIMARY KEY (Id)
);
