{% macro billing_factor_denominator(billing_interval, interval_count) %}
    {#- Denominator of the billing factor (see billing_factor_numerator). -#}
    (case {{ billing_interval }}
        when 'day' then 12
        when 'week' then 12
        when 'month' then 1
        when 'quarter' then 3
        when 'year' then 12
    end * {{ interval_count }})
{% endmacro %}
