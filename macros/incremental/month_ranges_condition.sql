{% macro month_ranges_condition(ranges, month_column=none, month_index_column=none) %}
    {#-
        A SQL condition that holds for the months of `ranges` (sorted [first, last] month-index
        ranges, last none: every later month, as rebuilt_month_ranges() and
        rebuilt_period_ranges() return them), on either a month date column (month_column) or a
        month index column (month_index_column).
    -#}
    {% set conditions = [] %}
    {% for range in ranges %}
        {% if month_column is not none %}
            {% set first = mrr_engine.month_literal(range[0]) %}
            {% set last = none if range[1] is none else mrr_engine.month_literal(range[1]) %}
            {% set column = month_column %}
        {% else %}
            {% set first = range[0] %}
            {% set last = range[1] %}
            {% set column = month_index_column %}
        {% endif %}
        {% if last is none %}
            {% do conditions.append(column ~ ' >= ' ~ first) %}
        {% else %}
            {% do conditions.append(column ~ ' between ' ~ first ~ ' and ' ~ last) %}
        {% endif %}
    {% endfor %}
    {{ return('(' ~ conditions | join(' or ') ~ ')') }}
{% endmacro %}
