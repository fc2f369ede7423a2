{{ mrr_engine.mrr_metrics('month') }}
