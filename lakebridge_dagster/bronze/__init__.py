"""Bronze loading: the table registry, the query builder, the watermark store and
the incremental loader (PostgreSQL source -> Delta table). Plain Python, no Dagster."""
