{{ config(enabled=mrr_engine.is_stripe_input()) }}
{{ mrr_engine.stage_stripe('subscription_discount', required=false, columns=[
    {'name': 'id', 'alias': 'discount_id', 'type': dbt.type_string()},
    {'name': 'subscription_id', 'type': dbt.type_string()},
    {'name': 'coupon_id', 'type': dbt.type_string()},
    {'name': 'start', 'alias': 'started_at', 'type': dbt.type_timestamp()},
    {'name': 'end', 'alias': 'ended_at', 'type': dbt.type_timestamp()},
]) }}
