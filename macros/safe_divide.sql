{% macro safe_divide(numerator, denominator) %}
    {#- numerator / denominator as a double, null (never an error) when the denominator is 0 or null. -#}
    case
        when {{ denominator }} = 0 then null
        else cast({{ numerator }} as {{ mrr_engine.type_rate() }}) / cast({{ denominator }} as {{ mrr_engine.type_rate() }})
    end
{% endmacro %}
