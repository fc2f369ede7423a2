{{ mrr_engine.stage_input('customers', keep_other_columns=true, columns=[
    {'name': 'customer_id', 'type': dbt.type_string(), 'required': true},
]) }}
