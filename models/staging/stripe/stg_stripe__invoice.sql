{{ config(enabled=mrr_engine.is_stripe_input()) }}
{{ mrr_engine.stage_stripe('invoice', columns=[
    {'name': 'id', 'alias': 'invoice_id', 'type': dbt.type_string()},
    {'name': 'customer_id', 'type': dbt.type_string()},
    {'name': 'subscription_id', 'type': dbt.type_string()},
    {'name': 'status', 'type': dbt.type_string()},
    {'name': 'billing_reason', 'type': dbt.type_string()},
    {'name': 'currency', 'type': dbt.type_string()},
    {'name': 'amount_due', 'type': dbt.type_bigint()},
    {'name': 'created', 'alias': 'created_at', 'type': dbt.type_timestamp()},
]) }}
