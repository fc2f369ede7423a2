{{ config(enabled=mrr_engine.is_stripe_input()) }}
{{ mrr_engine.stage_stripe('product', required=false, columns=[
    {'name': 'id', 'alias': 'product_id', 'type': dbt.type_string()},
    {'name': 'name', 'alias': 'product_name', 'type': dbt.type_string()},
]) }}
