{{ config(enabled=mrr_engine.is_stripe_input()) }}
{{ mrr_engine.stage_stripe(
    'subscription_history',
    expected_columns=['_fivetran_start', '_fivetran_end', '_fivetran_active'],
    without_expected="it is not in Fivetran's history mode: each subscription's status falls back to"
        ~ " its current state (trialing from trial_start to trial_end, then its current status until"
        ~ " ended_at) and quantity changes made without proration are not seen (docs/stripe.md).",
    columns=[
    {'name': 'id', 'alias': 'subscription_id', 'type': dbt.type_string()},
    {'name': '_fivetran_start', 'alias': 'fivetran_start_at', 'type': dbt.type_timestamp()},
    {'name': '_fivetran_end', 'alias': 'fivetran_end_at', 'type': dbt.type_timestamp()},
    {'name': '_fivetran_active', 'alias': 'is_fivetran_active', 'type': dbt.type_boolean()},
    {'name': 'customer_id', 'type': dbt.type_string()},
    {'name': 'status', 'type': dbt.type_string()},
    {'name': 'created', 'alias': 'created_at', 'type': dbt.type_timestamp()},
    {'name': 'start_date', 'alias': 'started_at', 'type': dbt.type_timestamp()},
    {'name': 'trial_start', 'alias': 'trial_started_at', 'type': dbt.type_timestamp()},
    {'name': 'trial_end', 'alias': 'trial_ended_at', 'type': dbt.type_timestamp()},
    {'name': 'cancel_at_period_end', 'type': dbt.type_boolean()},
    {'name': 'canceled_at', 'type': dbt.type_timestamp()},
    {'name': 'ended_at', 'type': dbt.type_timestamp()},
    {'name': 'current_period_start', 'alias': 'current_period_started_at', 'type': dbt.type_timestamp()},
    {'name': 'current_period_end', 'alias': 'current_period_ended_at', 'type': dbt.type_timestamp()},
    {'name': 'pause_collection_behavior', 'type': dbt.type_string()},
    {'name': 'pause_collection_resumes_at', 'type': dbt.type_timestamp()},
    {'name': 'quantity', 'type': dbt.type_bigint()},
]) }}
