SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
-- Companies on the platform: general contractors, their subcontractors, owners and consultants.
CREATE TABLE [dbo].[Company] (
    [Id]           INT              IDENTITY (1, 1) NOT NULL,
    [Name]         NVARCHAR (200)   NOT NULL,
    [CompanyType]  NVARCHAR (30)    NOT NULL CONSTRAINT [DF_Company_CompanyType] DEFAULT (N'Subcontractor'),
    [TaxNumber]    NVARCHAR (50)    NULL,
    [CountryCode]  CHAR (2)         NOT NULL CONSTRAINT [DF_Company_CountryCode] DEFAULT ('SA'),
    [ExternalKey]  UNIQUEIDENTIFIER ROWGUIDCOL NOT NULL CONSTRAINT [DF_Company_ExternalKey] DEFAULT (NEWID()),
    [CreatedAt]    DATETIME         NOT NULL CONSTRAINT [DF_Company_CreatedAt] DEFAULT (GETDATE()),
    [UpdatedAt]    DATETIME         NULL,
    [DeletedAt]    DATETIME         NULL,
    CONSTRAINT [PK_Company] PRIMARY KEY CLUSTERED ([Id] ASC) ON [PRIMARY],
    CONSTRAINT [UQ_Company_ExternalKey] UNIQUE NONCLUSTERED ([ExternalKey] ASC),
    CONSTRAINT [CK_Company_CompanyType] CHECK ([CompanyType] IN (N'GeneralContractor', N'Subcontractor', N'Owner', N'Consultant'))
) ON [PRIMARY];
GO
CREATE NONCLUSTERED INDEX [IX_Company_Name]
    ON [dbo].[Company] ([Name] ASC)
    WHERE ([DeletedAt] IS NULL);
GO
