{{ mrr_engine.mrr_metrics('year') }}
