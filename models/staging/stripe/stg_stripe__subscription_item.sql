{{ config(enabled=mrr_engine.is_stripe_input()) }}
{{ mrr_engine.stage_stripe('subscription_item', columns=[
    {'name': 'id', 'alias': 'subscription_item_id', 'type': dbt.type_string()},
    {'name': 'subscription_id', 'type': dbt.type_string()},
    {'name': 'price_id', 'type': dbt.type_string()},
    {'name': 'plan_id', 'type': dbt.type_string()},
    {'name': 'quantity', 'type': dbt.type_bigint()},
    {'name': 'created', 'alias': 'created_at', 'type': dbt.type_timestamp()},
]) }}
