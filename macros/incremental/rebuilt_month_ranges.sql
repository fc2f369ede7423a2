{% macro rebuilt_month_ranges(looks_ahead=none, relation=none) %}
    {#-
        The months (as month indexes) an incremental build recomputes in a month-grain model, as
        sorted, disjoint [first, last] ranges (last none: every later month):
        - every month from rebuild_from_month_index() on;
        - for each k of looks_ahead (default: the model's config rebuild_looks_ahead, set through
          month_incremental_config), the months whose rows read the month k months later: from
          rebuild_from - k to last_as_of - k (incremental_window(); later months read a month
          that has no row in either build, so their rows cannot change).
        relation: where int_incremental_window is (default: the model being built).
    -#}
    {% set window = mrr_engine.incremental_window(relation) %}
    {% set ahead = looks_ahead if looks_ahead is not none else config.get('rebuild_looks_ahead', []) %}
    {% set ranges = [[window.rebuild_from, none]] %}
    {% for months in ahead %}
        {% do ranges.append([[window.rebuild_from - months, 0] | max, window.last_as_of - months]) %}
    {% endfor %}
    {{ return(mrr_engine.merge_month_ranges(ranges)) }}
{% endmacro %}
