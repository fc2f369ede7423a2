{% macro looked_back_month_ranges(looks_back, relation=none) %}
    {#-
        The months a model whose rows look back reads in an incremental build, as sorted,
        disjoint [first, last] month-index ranges (last none: every later month): the months it
        recomputes (rebuilt_month_ranges()) and, for each k of looks_back, the months k months
        before them (up to k before the later as-of month: no model has rows after it). A row
        that reads exactly the month k before it needs no month in between.
        relation: where int_incremental_window is (default: the model being built).
    -#}
    {% set window = mrr_engine.incremental_window(relation) %}
    {% set ranges = [] %}
    {% for range in mrr_engine.rebuilt_month_ranges(relation=relation) %}
        {% do ranges.append(range) %}
        {% for months in looks_back %}
            {% set last = window.last_as_of if range[1] is none else range[1] %}
            {% do ranges.append([[range[0] - months, 0] | max, last - months]) %}
        {% endfor %}
    {% endfor %}
    {{ return(mrr_engine.merge_month_ranges(ranges)) }}
{% endmacro %}
