-- depends_on: {{ ref('stg_customers') }}
{{ mrr_engine.mrr_metrics('month', segment_column=var('segment_column')) }}
