-- Every input subscription row, with the first rule it breaks (null when it is valid).
-- Row rules come first, then duplicates, then the rules that need the whole line, then
-- missing_fx_rate (a line needing a rate that the valid fx rates do not give). One narrow sort
-- of the valid rows finds the few lines that could hold a copy or break a line rule; only those
-- get the exact checks (docs/input-checks.md, "How the checks run").

{#- two valid rows of a line (subscription_id, item_id) equal in these are copies of each other -#}
{% set compared_columns = [
    'valid_from', 'valid_to', 'customer_id', 'plan_id', 'quantity', 'unit_amount', 'currency',
    'billing_interval', 'interval_count', 'discount_percent', 'discount_amount', 'is_trial',
] %}
{#- the most decimal places of each number the line arithmetic holds exactly (line_net_scaled) -#}
{% set decimal_places = {
    'unit_amount': 8, 'quantity': 4, 'discount_percent': 6, 'discount_amount': 10,
} %}
{#- text that is no number at all (a number too long for the column is amount_out_of_range) -#}
{% set no_number = {} %}
{% for column in decimal_places %}
    {% do no_number.update({column: mrr_engine.try_cast_value(
        'subscriptions.' ~ column ~ '_text', 'decimal(38, 0)') ~ ' is null'}) %}
{% endfor %}
{#- the factor that line_net_scaled scales a period's list price and amount discount by -#}
{% set scale_factor = mrr_engine.billing_factor_numerator('subscriptions.billing_interval') ~ ' * '
    ~ mrr_engine.billing_factor_denominator(
        'subscriptions.billing_interval', 'cast(subscriptions.interval_count as bigint)') %}
{#- whether the list price and the amount discount, times scale_factor, reach 10^17; a double
    estimate (type_rate(): a 64-bit float on every engine) decides far from the bound and keeps the
    exact product from overflowing -#}
{% set double = mrr_engine.type_rate() %}
{% set list_reaches_bound %}
    (case
        when cast(subscriptions.unit_amount as {{ double }}) * cast(subscriptions.quantity as {{ double }})
            * cast({{ scale_factor }} as {{ double }}) >= 1e18
            then true
        else cast(subscriptions.unit_amount as decimal(38, 8)) * cast(subscriptions.quantity as decimal(38, 4))
            * {{ scale_factor }} >= 100000000000000000
    end)
{% endset %}
{% set discount_reaches_bound %}
    (case
        when cast(subscriptions.discount_amount as {{ double }}) * cast({{ scale_factor }} as {{ double }}) >= 1e18
            then true
        else cast(subscriptions.discount_amount as decimal(38, 10)) * {{ scale_factor }} >= 100000000000000000
    end)
{% endset %}
{% set first_unrated_month = 'cast(' ~ dbt.date_trunc('month', 'unrated_lines.first_unrated_valid_from')
    ~ ' as date)' %}
{% set output_columns = [
    'input_row_number', 'subscription_id', 'item_id', 'customer_id', 'plan_id', 'product_id',
    'quantity', 'unit_amount', 'currency', 'billing_interval', 'interval_count', 'discount_percent',
    'discount_amount', 'is_trial', 'valid_from', 'valid_to',
] %}

with

subscriptions as (
    select * from {{ ref('stg_subscriptions') }}
),

plans as (
    select * from {{ ref('stg_plans') }}
),

customers as (
    select * from {{ ref('stg_customers') }}
),

fx_rates as (
    select * from {{ ref('int_fx_rates_checked') }}
    where rejection_reason is null
),

plan_file as (
    select count(*) > 0 as is_given from plans
),

customer_file as (
    select count(*) > 0 as is_given from customers
),

row_checked as (
    select
        subscriptions.*,
        case
            when coalesce(subscriptions.subscription_id, '') = '' then 'missing_subscription_id'
            when coalesce(subscriptions.customer_id, '') = '' then 'missing_customer_id'
            when coalesce(subscriptions.plan_id, '') = '' then 'missing_plan_id'
            when subscriptions.valid_from_text is null then 'missing_valid_from'
            when subscriptions.valid_from is null then 'unparseable_valid_from'
            when subscriptions.valid_to is null and subscriptions.valid_to_text is not null
                then 'unparseable_valid_to'
            when subscriptions.unit_amount_text is null then 'missing_unit_amount'
            when subscriptions.unit_amount is null and {{ no_number['unit_amount'] }}
                then 'unit_amount_not_a_number'
            when subscriptions.quantity is null and {{ no_number['quantity'] }} then 'quantity_not_a_number'
            when
                subscriptions.interval_count is null
                or {{ mrr_engine.try_cast_value('subscriptions.interval_count_text', 'decimal(18, 4)') }}
                != subscriptions.interval_count
                then 'interval_count_not_a_whole_number'
            when subscriptions.discount_percent is null and {{ no_number['discount_percent'] }}
                then 'discount_percent_not_a_number'
            when subscriptions.discount_amount is null and {{ no_number['discount_amount'] }}
                then 'discount_amount_not_a_number'
            when subscriptions.is_trial is null then 'is_trial_not_a_boolean'
            -- a number, but more than 18 digits before the point: no decimal(28, 10) holds it
            when
                {% for column in decimal_places %}
                    subscriptions.{{ column }} is null{% if not loop.last %} or{% endif %}
                {% endfor %}
                then 'amount_out_of_range'
            when
                {% for column, places in decimal_places.items() %}
                    {{ mrr_engine.has_more_decimal_places('subscriptions.' ~ column ~ '_text', places) }}
                    {% if not loop.last %}or{% endif %}
                {% endfor %}
                then 'too_many_decimals'
            when subscriptions.unit_amount < 0 then 'negative_unit_amount'
            when subscriptions.quantity < 0 then 'negative_quantity'
            when subscriptions.discount_amount < 0 then 'negative_discount_amount'
            when subscriptions.discount_percent < 0 or subscriptions.discount_percent > 100
                then 'discount_percent_out_of_range'
            when subscriptions.billing_interval not in ('day', 'week', 'month', 'quarter', 'year')
                then 'unknown_billing_interval'
            when subscriptions.interval_count < 1 then 'interval_count_below_one'
            -- the list price or the amount discount, scaled as in line_net_scaled, reaches 10^17:
            -- past what the line arithmetic holds exactly (estimated first in double precision,
            -- which decides far from the bound and keeps the exact product from overflowing)
            when {{ list_reaches_bound }} or {{ discount_reaches_bound }} then 'amount_out_of_range'
            when subscriptions.valid_to <= subscriptions.valid_from then 'valid_to_not_after_valid_from'
            when plan_file.is_given and plans.plan_id is null then 'unknown_plan_id'
            when customer_file.is_given and customers.customer_id is null then 'unknown_customer_id'
        end as row_rejection_reason,
        coalesce(plans.product_id, '') as product_id
    from subscriptions
    cross join plan_file
    cross join customer_file
    left join plans
        on subscriptions.plan_id = plans.plan_id
    left join customers
        on subscriptions.customer_id = customers.customer_id
),

valid_rows as (
    select
        *,
        {{ mrr_engine.columns_fingerprint(['subscription_id', 'item_id']) }} as line_key
    from row_checked
    where row_rejection_reason is null
),

line_ordered as (
    -- each valid row with the latest end of the valid rows of its line before it, and the
    -- customer and currency of the row before it: one narrow sort, by the line's fingerprint
    -- (lines whose fingerprints collide share a partition, which can only flag more lines)
    select
        line_key,
        valid_from,
        customer_id,
        currency,
        max(coalesce(valid_to, cast('9999-12-31' as date))) over (
            partition by line_key
            order by valid_from, input_row_number
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_valid_to,
        lag(customer_id) over (
            partition by line_key
            order by valid_from, input_row_number
        ) as previous_customer_id,
        lag(currency) over (
            partition by line_key
            order by valid_from, input_row_number
        ) as previous_currency
    from valid_rows
),

suspect_lines as (
    -- the lines with a row that starts before an earlier one ends (an overlap, or a copy: a copy
    -- starts when its original does and ends after it starts) or has another customer or
    -- currency than the row before: only these can hold a copy or break a line rule, and only
    -- these get the exact checks below (every other valid row is valid as it is)
    select distinct line_key
    from line_ordered
    where
        latest_earlier_valid_to > valid_from
        or customer_id != previous_customer_id
        or currency != previous_currency
),

suspect_rows as (
    select valid_rows.*
    from valid_rows
    inner join suspect_lines
        on valid_rows.line_key = suspect_lines.line_key
),

clean_rows as (
    select valid_rows.*
    from valid_rows
    left join suspect_lines
        on valid_rows.line_key = suspect_lines.line_key
    where suspect_lines.line_key is null
),

first_copies as (
    -- of identical rows of a suspect line (equal in every column but input_row_number), the first
    select min(input_row_number) as input_row_number
    from suspect_rows
    group by
        subscription_id, item_id, {{ compared_columns | join(', ') }}
),

duplicates_marked as (
    select
        suspect_rows.*,
        first_copies.input_row_number is null as is_duplicate
    from suspect_rows
    left join first_copies
        on suspect_rows.input_row_number = first_copies.input_row_number
),

kept_rows_ordered as (
    -- each kept row of a suspect line with the latest end of the line's kept rows before it
    select
        *,
        max(coalesce(valid_to, cast('9999-12-31' as date))) over (
            partition by subscription_id, item_id
            order by valid_from, input_row_number
            rows between unbounded preceding and 1 preceding
        ) as latest_earlier_valid_to
    from duplicates_marked
    where not is_duplicate
),

line_checked as (
    -- over a suspect line's kept rows (a copy is only rejected itself)
    select
        subscription_id,
        item_id,
        max(case when latest_earlier_valid_to > valid_from then 1 else 0 end) = 1 as has_overlap,
        min(currency) != max(currency) as has_several_currencies,
        min(customer_id) != max(customer_id) as has_several_customers
    from kept_rows_ordered
    group by 1, 2
),

checked as (
    select
        {% for column in output_columns %}
            {{ column }},
        {% endfor %}
        row_rejection_reason as rejection_reason
    from row_checked
    where row_rejection_reason is not null

    union all

    select
        {% for column in output_columns %}
            {{ column }},
        {% endfor %}
        cast(null as {{ dbt.type_string() }}) as rejection_reason
    from clean_rows

    union all

    select
        {% for column in output_columns %}
            duplicates_marked.{{ column }},
        {% endfor %}
        case
            when duplicates_marked.is_duplicate then 'duplicate_row'
            when line_checked.has_several_customers then 'customer_changes_within_line'
            when line_checked.has_several_currencies then 'currency_changes_within_line'
            when line_checked.has_overlap then 'overlapping_periods'
        end as rejection_reason
    from duplicates_marked
    inner join line_checked
        on
            duplicates_marked.subscription_id = line_checked.subscription_id
            and duplicates_marked.item_id = line_checked.item_id
),

first_rates as (
    -- the first month each currency has a rate in: rates apply from their date on, so every
    -- later month has one too; a currency whose first rate is dated after the as-of date has none
    select
        currency,
        {{ mrr_engine.month_index('min(rate_date)') }} as first_month_index
    from fx_rates
    group by 1
    having min(rate_date) <= {{ mrr_engine.as_of_date() }}
),

unrated_periods as (
    -- valid periods with a net price in a currency other than the reporting one, in force at the
    -- end of a month that has no rate for it (int_subscription_periods_in_force's months)
    select
        checked.subscription_id,
        checked.item_id,
        checked.currency,
        checked.valid_from,
        {{ mrr_engine.month_index('checked.valid_from') }} as first_month_index,
        first_rates.first_month_index as first_rated_month_index,
        case
            when checked.valid_to is null or checked.valid_to > {{ mrr_engine.as_of_date() }}
                then {{ mrr_engine.as_of_month_index() }}
            else {{ mrr_engine.month_index('checked.valid_to') }} - 1
        end as last_month_index
    from checked
    left join first_rates
        on checked.currency = first_rates.currency
    where
        checked.rejection_reason is null
        and checked.currency != {{ mrr_engine.reporting_currency() }}
        and not checked.is_trial
        and checked.valid_from <= {{ mrr_engine.as_of_date() }}
        and {{ mrr_engine.line_net_scaled(
            'checked.unit_amount', 'checked.quantity', 'checked.discount_percent', 'checked.discount_amount',
            mrr_engine.billing_factor_numerator('checked.billing_interval'),
            mrr_engine.billing_factor_denominator('checked.billing_interval', 'checked.interval_count'),
            mrr_engine.billing_factor_numerator('checked.billing_interval'),
            mrr_engine.billing_factor_denominator('checked.billing_interval', 'checked.interval_count'),
        ) }} > 0
),

unrated_lines as (
    -- the lines with such a period (set aside whole, like the other line rules), with the first
    -- month without a rate (that of the earliest such period's start), to name it
    select
        subscription_id,
        item_id,
        min(currency) as currency,
        min(valid_from) as first_unrated_valid_from
    from unrated_periods
    where
        first_month_index <= last_month_index
        and (first_rated_month_index is null or first_month_index < first_rated_month_index)
    group by 1, 2
),

final as (
    select
        {% for column in output_columns %}
            checked.{{ column }},
        {% endfor %}
        coalesce(
            checked.rejection_reason,
            case when unrated_lines.subscription_id is not null then 'missing_fx_rate' end
        ) as rejection_reason,
        case
            when checked.rejection_reason is null and unrated_lines.subscription_id is not null
                then
                    'No fx rate for currency ' || unrated_lines.currency || ' in month '
                    || cast({{ first_unrated_month }} as {{ dbt.type_string() }})
        end as rejection_detail
    from checked
    left join unrated_lines
        on
            checked.subscription_id = unrated_lines.subscription_id
            and checked.item_id = unrated_lines.item_id
)

select * from final
