{% macro billing_factor_numerator(billing_interval) %}
    {#-
        Numerator of the billing factor (billing periods per month): day 365/12, week 52/12,
        month 1, quarter 1/3, year 1/12, all divided by interval_count; see
        billing_factor_denominator for the other half. Kept as a fraction so MRR stays exact.
    -#}
    case {{ billing_interval }}
        when 'day' then 365
        when 'week' then 52
        else 1
    end
{% endmacro %}
