{{ config(enabled=mrr_engine.is_stripe_input()) }}
{{ mrr_engine.stage_stripe('invoice_line_item', columns=[
    {'name': 'id', 'alias': 'invoice_line_item_id', 'type': dbt.type_string()},
    {'name': 'invoice_id', 'type': dbt.type_string()},
    {'name': 'subscription_id', 'type': dbt.type_string()},
    {'name': 'subscription_item_id', 'type': dbt.type_string()},
    {'name': 'type', 'alias': 'line_type', 'type': dbt.type_string()},
    {'name': 'price_id', 'type': dbt.type_string()},
    {'name': 'plan_id', 'type': dbt.type_string()},
    {'name': 'quantity', 'type': dbt.type_bigint()},
    {'name': 'amount', 'type': dbt.type_bigint()},
    {'name': 'currency', 'type': dbt.type_string()},
    {'name': 'proration', 'alias': 'is_proration', 'type': dbt.type_boolean()},
    {'name': 'period_start', 'alias': 'period_started_at', 'type': dbt.type_timestamp()},
    {'name': 'period_end', 'alias': 'period_ended_at', 'type': dbt.type_timestamp()},
]) }}
