{{ config(enabled=mrr_engine.is_stripe_input()) }}
{{ mrr_engine.stage_stripe('customer', columns=[
    {'name': 'id', 'alias': 'customer_id', 'type': dbt.type_string()},
    {'name': 'name', 'alias': 'customer_name', 'type': dbt.type_string()},
    {'name': 'address_country', 'alias': 'country', 'type': dbt.type_string()},
    {'name': 'currency', 'type': dbt.type_string()},
    {'name': 'created', 'alias': 'created_at', 'type': dbt.type_timestamp()},
    {'name': 'is_deleted', 'type': dbt.type_boolean()},
]) }}
