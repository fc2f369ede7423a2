{% macro rebuilt_months_condition(month_column=none, month_index_column=none, looks_ahead=none, relation=none) %}
    {#-
        A SQL condition that holds for the months of rebuilt_month_ranges(looks_ahead, relation),
        on either a month date column (month_column) or a month index column
        (month_index_column): what a month-grain model recomputes.
    -#}
    {{ return(mrr_engine.month_ranges_condition(
        mrr_engine.rebuilt_month_ranges(looks_ahead, relation),
        month_column=month_column,
        month_index_column=month_index_column,
    )) }}
{% endmacro %}
