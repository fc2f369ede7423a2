{{ mrr_engine.stage_input('plans', keep_other_columns=true, columns=[
    {'name': 'plan_id', 'type': dbt.type_string(), 'required': true},
    {'name': 'plan_name', 'type': dbt.type_string()},
    {'name': 'product_id', 'type': dbt.type_string(), 'default': "''"},
]) }}
