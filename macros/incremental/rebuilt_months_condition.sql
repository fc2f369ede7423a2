{% macro rebuilt_months_condition(month_column=none, month_index_column=none, looks_ahead=none, relation=none) %}
    {#-
        A SQL condition that holds for the months of rebuilt_month_ranges(looks_ahead, relation),
        on either a month date column (month_column) or a month index column
        (month_index_column): what a month-grain model recomputes and replaces in an incremental
        build, and what the data tests of such a build check (tested_rows()).
    -#}
    {% set conditions = [] %}
    {% for range in mrr_engine.rebuilt_month_ranges(looks_ahead, relation) %}
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
