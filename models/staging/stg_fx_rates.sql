{{ mrr_engine.stage_input('fx_rates', columns=[
    {'name': 'currency', 'type': dbt.type_string(), 'required': true, 'case': 'upper'},
    {'name': 'rate_date', 'type': 'date', 'required': true},
    {'name': 'rate_to_reporting', 'type': 'decimal(28, 10)', 'required': true, 'keep_text': true},
]) }}
