{% macro month_literal(month_index) %}
    {#- The first day of month `month_index` (year * 12 + month - 1) as a SQL date literal. -#}
    {% set index = month_index | int %}
    {{ return("cast('" ~ '%04d-%02d-01' % ([index // 12, 1] | max, index % 12 + 1) ~ "' as date)") }}
{% endmacro %}
