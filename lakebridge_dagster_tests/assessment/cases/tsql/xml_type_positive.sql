-- expect: XML_JSON
-- type: TABLE
CREATE TABLE [dbo].[xml_type_positive](
    [Id] [int] NOT NULL,
    [Demographics] [xml](CONTENT [Sales].[SurveySchemaCollection]) NULL,
    [Notes] XML NULL
)
