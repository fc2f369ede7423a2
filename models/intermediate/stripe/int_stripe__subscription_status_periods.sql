{{ config(enabled=mrr_engine.is_stripe_input()) }}
-- One row per Stripe subscription per period with one status, and whether it counts for MRR
-- (docs/stripe.md, "Status"). In history mode each version of subscription_history is a period
-- (from its _fivetran_start to the next version's); before its first version (history mode
-- turned on after the subscription started) it is taken as trialing during its trial and active
-- otherwise. A subscription without history-mode rows falls back to its current state: trialing
-- from trial_start to trial_end, then its current status (active when it is canceled) until
-- ended_at.
-- Counted: active and past_due, with collection paused or not (var mrr_stripe_count_paused);
-- trialing is kept as a trial (no MRR); unpaid, incomplete, incomplete_expired, paused and
-- canceled are not counted. With var mrr_stripe_churn_at: cancellation, an ended subscription
-- stops counting when it was cancelled (canceled_at) rather than when it ended.

{% set churn_at = var('mrr_stripe_churn_at', 'ended') | string | lower %}
{% if churn_at not in ('ended', 'cancellation') %}
    {{ exceptions.raise_compiler_error(
        "var mrr_stripe_churn_at must be ended or cancellation, got " ~ (churn_at | tojson)
    ) }}
{% endif %}

with

history as (
    select * from {{ ref('stg_stripe__subscription_history') }}
),

history_mode_subscriptions as (
    select distinct subscription_id
    from history
    where fivetran_start_at is not null
),

versions as (
    select
        subscription_id,
        customer_id,
        lower(status) as status,
        pause_collection_behavior is not null as is_collection_paused,
        cast(fivetran_start_at as date) as valid_from,
        cast(lead(fivetran_start_at) over (
            partition by subscription_id order by fivetran_start_at
        ) as date) as valid_to
    from history
    where fivetran_start_at is not null
),

first_versions as (
    -- each history-mode subscription's first version: history mode records from when it was
    -- turned on, which may be after the subscription started
    select *
    from (
        select
            *,
            row_number() over (partition by subscription_id order by fivetran_start_at) as version_number
        from history
        where fivetran_start_at is not null
    ) as numbered_versions
    where version_number = 1
),

pre_history_trials as (
    select
        subscription_id,
        customer_id,
        'trialing' as status,
        false as is_collection_paused,
        cast(trial_started_at as date) as valid_from,
        cast(
            case when trial_ended_at < fivetran_start_at then trial_ended_at else fivetran_start_at end
            as date
        ) as valid_to
    from first_versions
    where trial_started_at is not null and trial_started_at < fivetran_start_at
),

pre_history_active as (
    -- before history began and after any trial: taken as active (until it ended, if it did)
    select
        subscription_id,
        customer_id,
        'active' as status,
        false as is_collection_paused,
        cast(coalesce(trial_ended_at, started_at, created_at) as date) as valid_from,
        cast(
            case when ended_at < fivetran_start_at then ended_at else fivetran_start_at end
            as date
        ) as valid_to
    from first_versions
    where coalesce(trial_ended_at, started_at, created_at) < fivetran_start_at
),

current_states as (
    -- subscriptions without history mode: one row each, their current state
    select history.*
    from history
    left join history_mode_subscriptions
        on history.subscription_id = history_mode_subscriptions.subscription_id
    where history_mode_subscriptions.subscription_id is null
),

fallback_trials as (
    select
        subscription_id,
        customer_id,
        'trialing' as status,
        false as is_collection_paused,
        cast(trial_started_at as date) as valid_from,
        cast(trial_ended_at as date) as valid_to
    from current_states
    where trial_started_at is not null
),

fallback_current as (
    select
        subscription_id,
        customer_id,
        case when lower(status) = 'canceled' then 'active' else lower(status) end as status,
        pause_collection_behavior is not null as is_collection_paused,
        cast(coalesce(trial_ended_at, started_at, created_at) as date) as valid_from,
        cast(ended_at as date) as valid_to
    from current_states
    where lower(status) <> 'trialing'
),

periods as (
    select * from versions
    union all
    select * from pre_history_trials
    union all
    select * from pre_history_active
    union all
    select * from fallback_trials
    union all
    select * from fallback_current
),

{% if churn_at == 'cancellation' %}
    cancellations as (
        -- when each ended subscription was cancelled (its last version says)
        select
            subscription_id,
            cast(max(canceled_at) as date) as canceled_date
        from history
        where ended_at is not null and canceled_at is not null
        group by 1
    ),
{% endif %}

churn_bounded as (
    select
        periods.subscription_id,
        periods.customer_id,
        periods.status,
        periods.is_collection_paused,
        periods.valid_from,
        {% if churn_at == 'cancellation' %}
            case
                when cancellations.canceled_date is not null
                    and (periods.valid_to is null or periods.valid_to > cancellations.canceled_date)
                    then cancellations.canceled_date
                else periods.valid_to
            end as valid_to
        {% else %}
            periods.valid_to
        {% endif %}
    from periods
    {% if churn_at == 'cancellation' %}
        left join cancellations
            on periods.subscription_id = cancellations.subscription_id
    {% endif %}
),

final as (
    select
        subscription_id,
        customer_id,
        status,
        is_collection_paused,
        status = 'trialing' as is_trial,
        (
            (status in {{ mrr_engine.stripe_paying_statuses() }} or status = 'trialing')
            {% if not mrr_engine.flag_var('stripe_count_paused') %}
                and not is_collection_paused
            {% endif %}
        ) as is_counted,
        valid_from,
        valid_to
    from churn_bounded
    where valid_to is null or valid_to > valid_from
)

select * from final
