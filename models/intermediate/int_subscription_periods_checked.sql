-- Every input subscription row, with the first rule it breaks (null when it is valid).
-- Row rules come first, then duplicates, then the rules that need the whole line. One narrow sort
-- of the valid rows finds the few lines that could hold a copy or break a line rule; only those
-- get the exact checks (docs/input-checks.md, "How the checks run").

{#- two valid rows of a line (subscription_id, item_id) equal in these are copies of each other -#}
{% set compared_columns = [
    'valid_from', 'valid_to', 'customer_id', 'plan_id', 'quantity', 'unit_amount', 'currency',
    'billing_interval', 'interval_count', 'discount_percent', 'discount_amount', 'is_trial',
] %}
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
            when subscriptions.unit_amount is null then 'unit_amount_not_a_number'
            when subscriptions.quantity is null then 'quantity_not_a_number'
            when
                subscriptions.interval_count is null
                or {{ mrr_engine.try_cast_value('subscriptions.interval_count_text', 'decimal(18, 4)') }}
                != subscriptions.interval_count
                then 'interval_count_not_a_whole_number'
            when subscriptions.discount_percent is null then 'discount_percent_not_a_number'
            when subscriptions.discount_amount is null then 'discount_amount_not_a_number'
            when subscriptions.is_trial is null then 'is_trial_not_a_boolean'
            when subscriptions.unit_amount < 0 then 'negative_unit_amount'
            when subscriptions.quantity < 0 then 'negative_quantity'
            when subscriptions.discount_amount < 0 then 'negative_discount_amount'
            when subscriptions.discount_percent < 0 or subscriptions.discount_percent > 100
                then 'discount_percent_out_of_range'
            when subscriptions.billing_interval not in ('day', 'week', 'month', 'quarter', 'year')
                then 'unknown_billing_interval'
            when subscriptions.interval_count < 1 then 'interval_count_below_one'
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

final as (
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
)

select * from final
