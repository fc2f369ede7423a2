{% macro fx_rate_candidates(fx_rates, months) %}
    {#-
        A select of (currency, month_index, rate_to_reporting, recency) from the CTEs `fx_rates`
        (currency, rate_date, rate_to_reporting) and `months` (month_index, snapshot_date): every
        rate dated on or before the month's snapshot date, recency 1 for the one a month uses
        (the latest; on a tie, the highest, though the valid rates of int_fx_rates_checked have
        none: rule duplicate_fx_rate). Read by int_fx_rates_monthly.
    -#}
    select
        {{ fx_rates }}.currency,
        {{ months }}.month_index,
        {{ fx_rates }}.rate_to_reporting,
        row_number() over (
            partition by {{ fx_rates }}.currency, {{ months }}.month_index
            order by {{ fx_rates }}.rate_date desc, {{ fx_rates }}.rate_to_reporting desc
        ) as recency
    from {{ fx_rates }}
    inner join {{ months }}
        on {{ fx_rates }}.rate_date <= {{ months }}.snapshot_date
{% endmacro %}
