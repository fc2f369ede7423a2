{% macro looked_at_month_ranges(looks_ahead=none, relation=none) %}
    {#-
        The months a model whose rows look ahead reads in an incremental build, as sorted,
        disjoint [first, last] month-index ranges (last none: every later month): the months it
        recomputes (rebuilt_month_ranges()) and, for each k of looks_ahead (default the model's
        config rebuild_looks_ahead), the months k months after them.
        relation: where int_incremental_window is (default: the model being built).
    -#}
    {% set ahead = looks_ahead if looks_ahead is not none else config.get('rebuild_looks_ahead', []) %}
    {% set rebuilt = mrr_engine.rebuilt_month_ranges(ahead, relation) %}
    {% set ranges = [] %}
    {% for months in [0] + ahead %}
        {% for range in rebuilt %}
            {% do ranges.append([range[0] + months, none if range[1] is none else range[1] + months]) %}
        {% endfor %}
    {% endfor %}
    {{ return(mrr_engine.merge_month_ranges(ranges)) }}
{% endmacro %}
