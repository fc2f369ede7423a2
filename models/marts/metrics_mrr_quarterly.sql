{{ mrr_engine.mrr_metrics('quarter') }}
