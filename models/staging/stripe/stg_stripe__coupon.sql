{{ config(enabled=mrr_engine.is_stripe_input()) }}
{{ mrr_engine.stage_stripe('coupon', required=false, columns=[
    {'name': 'id', 'alias': 'coupon_id', 'type': dbt.type_string()},
    {'name': 'name', 'alias': 'coupon_name', 'type': dbt.type_string()},
    {'name': 'percent_off', 'type': 'decimal(28, 10)'},
    {'name': 'amount_off', 'type': dbt.type_bigint()},
    {'name': 'currency', 'type': dbt.type_string()},
    {'name': 'duration', 'type': dbt.type_string()},
    {'name': 'duration_in_months', 'type': dbt.type_bigint()},
]) }}
