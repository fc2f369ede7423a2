{{ config(enabled=mrr_engine.is_stripe_input()) }}
{{ mrr_engine.stage_stripe('price', columns=[
    {'name': 'id', 'alias': 'price_id', 'type': dbt.type_string()},
    {'name': 'product_id', 'type': dbt.type_string()},
    {'name': 'nickname', 'type': dbt.type_string()},
    {'name': 'currency', 'type': dbt.type_string()},
    {'name': 'unit_amount', 'type': dbt.type_bigint()},
    {'name': 'unit_amount_decimal', 'type': 'decimal(28, 10)'},
    {'name': 'type', 'alias': 'price_type', 'type': dbt.type_string()},
    {'name': 'billing_scheme', 'type': dbt.type_string()},
    {'name': 'recurring_interval', 'type': dbt.type_string()},
    {'name': 'recurring_interval_count', 'type': dbt.type_bigint()},
    {'name': 'recurring_usage_type', 'type': dbt.type_string()},
    {'name': 'tax_behavior', 'type': dbt.type_string()},
]) }}
