-- One row per month from the first month any valid period is in force to the as-of month, with
-- its snapshot date (the last day of the month, or as_of_date in the as-of month).

{#- The first month needs the data; where the periods table does not exist yet (dbt compile or a
    linter on an empty database), the spine compiles as the as-of month alone. -#}
{% set as_of_month_index = mrr_engine.as_of_month_index() %}
{% set first_month_index = as_of_month_index %}
{% set periods_model = ref('int_subscription_periods_in_force') %}
{% set periods = load_relation(periods_model) if execute else none %}
{% if periods is not none %}
    {% set first_in_data = run_query('select min(first_month_index) from ' ~ periods).rows[0][0] %}
    {% if first_in_data is not none %}
        {% set first_month_index = [first_in_data | int, as_of_month_index] | min %}
    {% endif %}
{% endif %}
{% set month_count = as_of_month_index - first_month_index + 1 %}

with

numbers as (
    {{ dbt.generate_series(month_count) }}
),

months as (
    select
        {{ dbt.dateadd(
            'month',
            'generated_number - 1',
            "cast('" ~ '%04d-%02d-01' % (first_month_index // 12, first_month_index % 12 + 1)
            ~ "' as date)"
        ) }} as month_start,
        {{ first_month_index }} + generated_number - 1 as month_index
    from numbers
),

final as (
    select
        cast(month_start as date) as month,
        month_index,
        case
            when month_index = {{ as_of_month_index }} then {{ mrr_engine.as_of_date() }}
            else cast({{ dbt.last_day('month_start', 'month') }} as date)
        end as snapshot_date
    from months
)

select * from final
